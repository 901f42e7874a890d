package dev.prism.llm.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One named tensor of a checkpoint. {@link #data()} is a slice of the memory-mapped file (no copy),
 * little-endian as safetensors stores it, which is the native order on every platform ONNX Runtime
 * ships natives for.
 */
public record Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public int dim(int i) {
        return Math.toIntExact(shape[i < 0 ? shape.length + i : i]);
    }

    /** The raw bytes, positioned at 0, in native order (a view; nothing is copied). */
    public ByteBuffer bytes() {
        return data.duplicate().order(ByteOrder.nativeOrder());
    }

    /**
     * The tensor as float32 in a direct native-order buffer: the mapped bytes themselves when the file
     * holds F32 (zero copy), otherwise a one-time converted copy (the CPU provider runs most operators
     * in float32 only).
     */
    public FloatBuffer toFloat32Direct() {
        if (dtype == DType.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            return bytes().asFloatBuffer();
        }
        return HalfFloats.toFloat32Direct(data, dtype, elementCount());
    }

    /** A heap copy as float[] (for the reference path and small tensors). */
    public float[] toFloatArray() {
        FloatBuffer fb = toFloat32Direct();
        float[] out = new float[fb.remaining()];
        fb.duplicate().get(out);
        return out;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
