package dev.prism.codecs.gaussian;

import java.util.Arrays;

/** Growable big-endian byte buffer with LEB128 varints: the record writer of this package. */
final class ByteWriter {
    private byte[] buf;
    private int size;

    ByteWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
    }

    void u8(int v) {
        ensure(1);
        buf[size++] = (byte) v;
    }

    void i32(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    void f32(float v) {
        i32(Float.floatToIntBits(v));
    }

    void varint(long v) {
        if (v < 0) throw new IllegalArgumentException("varint must be >= 0: " + v);
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    void zigzag(int v) {
        varint(((v << 1) ^ (v >> 31)) & 0xFFFFFFFFL);
    }

    void bytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    int size() {
        return size;
    }

    /** The backing array; only the first {@link #size()} bytes are meaningful. */
    byte[] buffer() {
        return buf;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
