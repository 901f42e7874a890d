package dev.prism.vision.caption;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * Little-endian reading with named fields for the library's binary formats: every read checks that the bytes are
 * there and names the field that is cut short, so a truncated file gives a clear error instead of garbage.
 */
final class Bytes {
    private final ByteBuffer buf;
    private final String what;

    Bytes(byte[] data, String what) {
        CaptionException.check(data != null, what + " is null: pass the bytes written by toBytes()");
        this.buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.what = what;
    }

    private void need(int n, String field) {
        if (buf.remaining() < n) {
            throw new CaptionException(what + " ends at byte " + buf.limit() + " while reading " + field + " (needs "
                    + n + " more bytes at " + buf.position() + "): the data is truncated");
        }
    }

    void magic(byte[] magic) {
        need(magic.length, "the magic number");
        for (byte b : magic) {
            if (buf.get() != b) {
                throw new CaptionException(what + " does not start with " + new String(magic,
                        java.nio.charset.StandardCharsets.US_ASCII) + ": not this format, or corrupt");
            }
        }
    }

    int u8(String field) {
        need(1, field);
        return buf.get() & 0xff;
    }

    int i32(String field) {
        need(4, field);
        return buf.getInt();
    }

    /** A count that must be in [0, max]. */
    int count(String field, long max) {
        int n = i32(field);
        CaptionException.check(n >= 0 && n <= max, what + ": " + field + " " + n + " is outside [0, " + max
                + "]: the data is corrupt");
        return n;
    }

    long i64(String field) {
        need(8, field);
        return buf.getLong();
    }

    double f64(String field) {
        need(8, field);
        return buf.getDouble();
    }

    int[] ints(int n, String field) {
        need(n * 4, field);
        int[] out = new int[n];
        buf.asIntBuffer().get(out);
        buf.position(buf.position() + n * 4);
        return out;
    }

    float[] floats(int n, String field) {
        need(n * 4, field);
        float[] out = new float[n];
        buf.asFloatBuffer().get(out);
        buf.position(buf.position() + n * 4);
        return out;
    }

    byte[] bytes(int n, String field) {
        need(n, field);
        byte[] out = new byte[n];
        buf.get(out);
        return out;
    }

    /** Unsigned LEB128 varint. */
    long varint(String field) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8(field);
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new CaptionException(what + ": varint " + field + " is longer than 64 bits: the data is corrupt");
    }

    int remaining() {
        return buf.remaining();
    }

    int position() {
        return buf.position();
    }

    /** Checks the trailing CRC-32 of everything before it and that nothing follows. */
    void crcTrailer(byte[] data) {
        int end = buf.position();
        int stored = i32("the CRC-32 trailer");
        CRC32 c = new CRC32();
        c.update(data, 0, end);
        CaptionException.check((int) c.getValue() == stored, what + " fails its CRC-32 check: corrupted in storage "
                + "or transit");
        CaptionException.check(buf.remaining() == 0, what + " has " + buf.remaining() + " trailing bytes after its "
                + "CRC-32: corrupt or concatenated");
    }

    static int crc(byte[] data, int len) {
        CRC32 c = new CRC32();
        c.update(data, 0, len);
        return (int) c.getValue();
    }

    /** A growable little-endian writer. */
    static final class Out {
        private ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);

        private void room(int n) {
            if (b.remaining() < n) {
                ByteBuffer nb = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n))
                        .order(ByteOrder.LITTLE_ENDIAN);
                b.flip();
                nb.put(b);
                b = nb;
            }
        }

        Out put(byte[] x) {
            room(x.length);
            b.put(x);
            return this;
        }

        Out u8(int x) {
            room(1);
            b.put((byte) x);
            return this;
        }

        Out i32(int x) {
            room(4);
            b.putInt(x);
            return this;
        }

        Out i64(long x) {
            room(8);
            b.putLong(x);
            return this;
        }

        Out f64(double x) {
            room(8);
            b.putDouble(x);
            return this;
        }

        Out ints(int[] x) {
            room(x.length * 4);
            for (int v : x) {
                b.putInt(v);
            }
            return this;
        }

        Out floats(float[] x) {
            room(x.length * 4);
            b.asFloatBuffer().put(x);
            b.position(b.position() + x.length * 4);
            return this;
        }

        Out varint(long v) {
            while ((v & ~0x7fL) != 0) {
                u8((int) ((v & 0x7f) | 0x80));
                v >>>= 7;
            }
            return u8((int) v);
        }

        /** The bytes written so far followed by their CRC-32. */
        byte[] finishWithCrc() {
            int n = b.position();
            byte[] body = new byte[n];
            b.flip();
            b.get(body);
            byte[] out = java.util.Arrays.copyOf(body, n + 4);
            ByteBuffer.wrap(out, n, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(crc(body, n));
            return out;
        }
    }
}
