package dev.prism.codecs.bitstream;

import java.io.ByteArrayOutputStream;

/**
 * Fixed-width index packing, LSB-first as EnCodec's binary.py (ALGORITHMS.md 7.4): each value is
 * shifted in above the bits already pending and full low bytes are emitted; flush pads the last
 * byte with zeros. 10 bits per index for 1024-entry codebooks.
 */
public final class BitPacker {
    private final int bits;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long acc;
    private int pending;

    public BitPacker(int bits) {
        if (bits < 1 || bits > 32) {
            throw new IllegalArgumentException("bits per value must be 1..32, got " + bits);
        }
        this.bits = bits;
    }

    public void push(int value) {
        if (bits < 32 && (value >>> bits) != 0) {
            throw new IllegalArgumentException("value " + value + " does not fit in " + bits + " bits");
        }
        acc |= (value & 0xFFFFFFFFL) << pending;
        pending += bits;
        while (pending >= 8) {
            out.write((int) (acc & 0xFF));
            acc >>>= 8;
            pending -= 8;
        }
    }

    public byte[] finish() {
        if (pending > 0) {
            out.write((int) (acc & 0xFF));
            acc = 0;
            pending = 0;
        }
        return out.toByteArray();
    }

    /** Bytes {@code count} values of {@code bits} occupy after flushing. */
    public static int packedBytes(long count, int bits) {
        return (int) ((count * bits + 7) / 8);
    }

    /** Reads values packed by {@link BitPacker}. */
    public static final class Unpacker {
        private final byte[] data;
        private final int end;
        private final int bits;
        private int pos;
        private long acc;
        private int have;

        public Unpacker(byte[] data, int offset, int length, int bits) {
            this.data = data;
            this.pos = offset;
            this.end = offset + length;
            this.bits = bits;
        }

        /** Next value, or -1 when the data is exhausted. */
        public int pull() {
            while (have < bits) {
                if (pos >= end) {
                    return -1;
                }
                acc |= (data[pos++] & 0xFFL) << have;
                have += 8;
            }
            int v = (int) (acc & ((1L << bits) - 1));
            acc >>>= bits;
            have -= bits;
            return v;
        }
    }
}
