package dev.prism.vision.depth;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Writes a tiny MiDaS-shaped ONNX model for tests: input "image" [1,3,H,W] float, output "depth" [1,H,W] =
 * ReduceMean over the channel axis. Serialised directly with protobuf-java's CodedOutputStream using the
 * onnx.proto field numbers (test code only; no weights, nothing downloaded).
 */
final class TinyOnnxDepthModel {
    private TinyOnnxDepthModel() {
    }

    interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] message(Body body) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bos);
        body.write(out);
        out.flush();
        return bos.toByteArray();
    }

    private static byte[] tensorValueInfo(String name, long... dims) throws IOException {
        byte[] shape = message(o -> {
            for (long d : dims) o.writeByteArray(1, message(dim -> dim.writeInt64(1, d)));   // Dimension.dim_value
        });
        byte[] tensorType = message(o -> {
            o.writeInt32(1, 1);            // elem_type FLOAT
            o.writeByteArray(2, shape);    // shape
        });
        byte[] type = message(o -> o.writeByteArray(1, tensorType));   // TypeProto.tensor_type
        return message(o -> {
            o.writeString(1, name);
            o.writeByteArray(2, type);
        });
    }

    static byte[] channelMean(int height, int width) throws IOException {
        byte[] axes = message(o -> {
            o.writeString(1, "axes");
            o.writeInt64(8, 1);            // ints = [1]
            o.writeEnum(20, 7);            // AttributeProto.INTS
        });
        byte[] keepdims = message(o -> {
            o.writeString(1, "keepdims");
            o.writeInt64(3, 0);            // i = 0
            o.writeEnum(20, 2);            // AttributeProto.INT
        });
        byte[] node = message(o -> {
            o.writeString(1, "image");
            o.writeString(2, "depth");
            o.writeString(3, "mean_over_channels");
            o.writeString(4, "ReduceMean");
            o.writeByteArray(5, axes);
            o.writeByteArray(5, keepdims);
        });
        byte[] in = tensorValueInfo("image", 1, 3, height, width);
        byte[] out = tensorValueInfo("depth", 1, height, width);
        byte[] graph = message(o -> {
            o.writeByteArray(1, node);
            o.writeString(2, "tiny_depth");
            o.writeByteArray(11, in);
            o.writeByteArray(12, out);
        });
        byte[] opset = message(o -> {
            o.writeString(1, "");
            o.writeInt64(2, 13);
        });
        return message(o -> {
            o.writeInt64(1, 7);            // ir_version
            o.writeString(2, "prism-test");
            o.writeByteArray(7, graph);
            o.writeByteArray(8, opset);
        });
    }
}
