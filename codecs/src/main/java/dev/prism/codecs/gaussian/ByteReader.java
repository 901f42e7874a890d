package dev.prism.codecs.gaussian;

/** Bounds-checked reader for {@link ByteWriter} output; every failure names the record and the byte offset. */
final class ByteReader {
    private final byte[] buf;
    private final int end;
    private final String source;
    private int pos;

    ByteReader(byte[] buf, int offset, int length, String source) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
        this.source = source;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    GaussianStreamException error(String what) {
        return new GaussianStreamException(source + ": " + what + " at byte offset " + pos
                + "; the record is truncated or corrupt, re-fetch or re-encode it");
    }

    private void need(int n, String what) {
        if (n < 0 || end - pos < n) throw error("needs " + n + " more bytes for " + what + " but only " + (end - pos) + " remain");
    }

    int u8(String what) {
        need(1, what);
        return buf[pos++] & 0xFF;
    }

    int i32(String what) {
        need(4, what);
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    float f32(String what) {
        return Float.intBitsToFloat(i32(what));
    }

    long varint(String what) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8(what);
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw error("varint too long in " + what);
    }

    /** A varint that must lie in [0, max]. */
    int count(String what, long max) {
        long v = varint(what);
        if (v > max) throw error(what + " = " + v + " exceeds its limit " + max);
        return (int) v;
    }

    int zigzag(String what) {
        long z = varint(what);
        if (z > 0xFFFFFFFFL) throw error("zigzag value out of int range in " + what);
        return (int) (z >>> 1) ^ -(int) (z & 1);
    }

    /** Returns the offset of a slice of n bytes and skips past it. */
    int slice(int n, String what) {
        need(n, what);
        int at = pos;
        pos += n;
        return at;
    }

    byte[] array() {
        return buf;
    }
}
