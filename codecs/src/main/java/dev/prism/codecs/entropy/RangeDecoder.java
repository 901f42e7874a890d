package dev.prism.codecs.entropy;

/**
 * Mirror of {@link RangeEncoder}. Reading past the end of the data, or a code value that no
 * symbol interval covers, throws {@link CorruptStreamException} naming the byte offset relative to
 * the start of the given data.
 */
public final class RangeDecoder {
    private static final long TOP = 1L << 24;

    private final byte[] data;
    private final int start;
    private final int end;
    private int pos;
    private long range = 0xFFFFFFFFL;
    private long code;

    public RangeDecoder(byte[] data) {
        this(data, 0, data.length);
    }

    public RangeDecoder(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("slice [" + offset + ", " + offset + "+" + length + ") outside array of "
                    + data.length + " bytes");
        }
        this.data = data;
        this.start = offset;
        this.end = offset + length;
        this.pos = offset;
        for (int i = 0; i < 4; i++) {
            code = (code << 8) | nextByte();
        }
    }

    /** Decodes one symbol and then calls {@code model.update(symbol)}. */
    public int decode(FrequencyModel model) {
        int total = model.total();
        long r = range / total;
        long v = code / r;
        if (v >= total) {
            throw new CorruptStreamException(pos - start, "range-coded value lies outside every symbol interval;"
                    + " the coded data is corrupt");
        }
        int symbol = model.symbolAt((int) v);
        code -= r * model.low(symbol);
        range = r * model.freq(symbol);
        normalize();
        model.update(symbol);
        return symbol;
    }

    /** Raw equiprobable bits written by {@link RangeEncoder#encodeBits}. */
    public int decodeBits(int nbits) {
        if (nbits < 1 || nbits > 16) {
            throw new IllegalArgumentException("decodeBits needs 1 <= nbits <= 16, got " + nbits);
        }
        long r = range >>> nbits;
        long v = code / r;
        if (v >= (1L << nbits)) {
            throw new CorruptStreamException(pos - start, "raw bits out of range; the coded data is corrupt");
        }
        code -= r * v;
        range = r;
        normalize();
        return (int) v;
    }

    /** Bytes consumed so far. After the last symbol of a valid stream this equals the stream length. */
    public int bytesConsumed() {
        return pos - start;
    }

    private void normalize() {
        while (range < TOP) {
            range <<= 8;
            code = (code << 8) | nextByte();
        }
    }

    private int nextByte() {
        if (pos >= end) {
            throw new CorruptStreamException(pos - start, "coded data ends early: needed another byte but the stream has only "
                    + (end - start) + " bytes (truncated?)");
        }
        return data[pos++] & 0xFF;
    }
}
