package dev.prism.codecs.cachegen;

/** Bounds-checked big-endian reader that names the field and offset when an encoded stream is cut short. */
final class ByteReader {
    private final byte[] data;
    private final int end;
    private int pos;
    private final String what;

    ByteReader(byte[] data, int offset, int length, String what) {
        CacheGenException.check(data != null, what + ": no data");
        CacheGenException.check(offset >= 0 && length >= 0 && offset + length <= data.length,
                what + ": slice [" + offset + ", +" + length + ") outside " + data.length + " bytes");
        this.data = data;
        this.pos = offset;
        this.end = offset + length;
        this.what = what;
    }

    byte[] array() {
        return data;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return end - pos;
    }

    void need(int n, String field) {
        if (n < 0 || end - pos < n) {
            throw new CacheGenException(what + " is truncated: " + field + " needs " + n + " bytes at offset " + pos
                    + " but only " + (end - pos) + " remain; re-fetch or re-encode the stream");
        }
    }

    int u8(String field) {
        need(1, field);
        return data[pos++] & 0xFF;
    }

    int u16(String field) {
        need(2, field);
        int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int i32(String field) {
        need(4, field);
        int v = ((data[pos] & 0xFF) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8)
                | (data[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    float f32(String field) {
        return Float.intBitsToFloat(i32(field));
    }

    int varint(String field) {
        int v = 0;
        for (int shift = 0; shift <= 28; shift += 7) {
            int b = u8(field);
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (v < 0) {
                    throw new CacheGenException(what + ": " + field + " at offset " + pos + " is negative; corrupt");
                }
                return v;
            }
        }
        throw new CacheGenException(what + ": varint " + field + " too long at offset " + pos + "; the stream is corrupt");
    }

    /** Skips n bytes and returns where they started. */
    int take(int n, String field) {
        need(n, field);
        int at = pos;
        pos += n;
        return at;
    }

    void magic(byte[] expected, String field) {
        need(expected.length, field);
        for (int i = 0; i < expected.length; i++) {
            if (data[pos + i] != expected[i]) {
                throw new CacheGenException(what + ": bad " + field + " at offset " + pos + " (expected "
                        + new String(expected, java.nio.charset.StandardCharsets.US_ASCII)
                        + "): this is not a CacheGen stream of this version");
            }
        }
        pos += expected.length;
    }
}
