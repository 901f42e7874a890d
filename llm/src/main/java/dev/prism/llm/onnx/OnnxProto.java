package dev.prism.llm.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Minimal ONNX protobuf encoding with onnx.proto's field numbers (no generated classes, no protoc).
 * Each message is encoded into its own byte array and embedded length-delimited in its parent; the
 * graphs carry no weight data, so the arrays stay small.
 */
final class OnnxProto {
    // onnx.proto TensorProto.DataType
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int BOOL = 9;
    static final int FLOAT16 = 10;
    static final int BFLOAT16 = 16;

    // AttributeProto.AttributeType
    static final int ATTR_FLOAT = 1;
    static final int ATTR_INT = 2;
    static final int ATTR_STRING = 3;
    static final int ATTR_TENSOR = 4;
    static final int ATTR_FLOATS = 6;
    static final int ATTR_INTS = 7;

    private OnnxProto() {
    }

    /** A message under construction. */
    static final class Msg {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

        Msg str(int field, String v) {
            try {
                out.writeString(field, v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg i64(int field, long v) {
            try {
                out.writeInt64(field, v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg i32(int field, int v) {
            try {
                out.writeInt32(field, v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg f32(int field, float v) {
            try {
                out.writeFloat(field, v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg bytes(int field, byte[] v) {
            try {
                out.writeByteArray(field, v);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Msg msg(int field, Msg m) {
            return bytes(field, m.toBytes());
        }

        byte[] toBytes() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    /** TypeProto for a tensor with the given dims (Long = fixed size, String = symbolic). */
    static Msg tensorType(int elemType, Object[] dims) {
        Msg shape = new Msg();
        for (Object d : dims) {
            Msg dim = new Msg();
            if (d instanceof Number n) {
                dim.i64(1, n.longValue());
            } else {
                dim.str(2, String.valueOf(d));
            }
            shape.msg(1, dim);
        }
        Msg tensor = new Msg().i32(1, elemType).msg(2, shape);
        return new Msg().msg(1, tensor);
    }

    static Msg valueInfo(String name, int elemType, Object[] dims) {
        return new Msg().str(1, name).msg(2, tensorType(elemType, dims));
    }

    /** TensorProto holding int64 values inline (constants such as shapes and axes). */
    static Msg int64Tensor(String name, long[] dims, long[] values) {
        Msg t = new Msg();
        for (long d : dims) {
            t.i64(1, d);
        }
        t.i32(2, INT64);
        for (long v : values) {
            t.i64(7, v);
        }
        if (name != null) {
            t.str(8, name);
        }
        return t;
    }

    static Msg floatTensor(String name, long[] dims, float[] values) {
        Msg t = new Msg();
        for (long d : dims) {
            t.i64(1, d);
        }
        t.i32(2, FLOAT);
        for (float v : values) {
            t.f32(4, v);
        }
        if (name != null) {
            t.str(8, name);
        }
        return t;
    }

    /**
     * TensorProto declaring an initializer whose data lives outside the model: ONNX Runtime replaces
     * it with the tensor handed to SessionOptions.addExternalInitializers before loading any data.
     */
    static Msg externalTensor(String name, int elemType, long[] dims) {
        Msg t = new Msg();
        long count = 1;
        for (long d : dims) {
            t.i64(1, d);
            count *= d;
        }
        t.i32(2, elemType);
        t.str(8, name);
        t.msg(13, new Msg().str(1, "location").str(2, "prism-external-initializer.bin"));
        t.msg(13, new Msg().str(1, "offset").str(2, "0"));
        t.msg(13, new Msg().str(1, "length").str(2, Long.toString(count * 4)));
        t.i32(14, 1); // data_location = EXTERNAL
        return t;
    }
}
