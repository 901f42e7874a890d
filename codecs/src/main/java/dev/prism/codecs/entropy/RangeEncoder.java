package dev.prism.codecs.entropy;

import java.util.Arrays;

/**
 * Carry-propagating range encoder with a 32-bit range and byte-wise output (the LZMA scheme: a
 * pending byte plus a run of 0xFF bytes absorbs carries). With model totals capped at 2^16 and the
 * range kept at or above 2^24, the integer division costs under 2^-8 bits per symbol at worst and
 * far less on average, so coded sizes track the Shannon bound closely.
 *
 * <p>Stream size is exactly the bytes the decoder will read, so a decoder that runs past the end
 * always signals truncation. A stream costs 4 bytes of flush on top of the payload.
 */
public final class RangeEncoder {
    private static final long TOP = 1L << 24;
    private static final long MASK32 = 0xFFFFFFFFL;

    private long low;
    private long range = MASK32;
    private int cache;
    private long cacheSize = 1;
    private boolean phantomPending = true;   // LZMA's leading byte is always 0: never written
    private byte[] buf = new byte[256];
    private int len;
    private boolean finished;

    public RangeEncoder() {
    }

    /** Codes one symbol and then calls {@code model.update(symbol)}. */
    public void encode(int symbol, FrequencyModel model) {
        checkOpen();
        if (symbol < 0 || symbol >= model.size()) {
            throw new IllegalArgumentException("symbol " + symbol + " outside the model's alphabet 0.." + (model.size() - 1));
        }
        int freq = model.freq(symbol);
        if (freq == 0) {
            throw new IllegalArgumentException("symbol " + symbol + " has probability 0 in this model (a two-pass"
                    + " model built from a histogram that does not count it)");
        }
        long r = range / model.total();
        low += r * model.low(symbol);
        range = r * freq;
        normalize();
        model.update(symbol);
    }

    /** Raw equiprobable bits, {@code nbits} in 1..16, value in {@code [0, 2^nbits)}. */
    public void encodeBits(int value, int nbits) {
        checkOpen();
        if (nbits < 1 || nbits > 16 || value < 0 || value >= (1 << nbits)) {
            throw new IllegalArgumentException("encodeBits needs 1 <= nbits <= 16 and 0 <= value < 2^nbits; got value="
                    + value + " nbits=" + nbits);
        }
        long r = range >>> nbits;
        low += r * value;
        range = r;
        normalize();
    }

    /** Bytes written so far (the final size is larger by the pending bytes and the 4-byte flush). */
    public int bytesSoFar() {
        return len;
    }

    /** Flushes and returns the coded bytes; the encoder is unusable afterwards. */
    public byte[] finish() {
        checkOpen();
        for (int i = 0; i < 5; i++) {
            shiftLow();
        }
        finished = true;
        return Arrays.copyOf(buf, len);
    }

    private void normalize() {
        while (range < TOP) {
            range <<= 8;
            shiftLow();
        }
    }

    private void shiftLow() {
        if (low < 0xFF000000L || low > MASK32) {
            int carry = (int) (low >>> 32);
            int pending = cache;
            do {
                if (phantomPending) {
                    phantomPending = false;
                } else {
                    put((pending + carry) & 0xFF);
                }
                pending = 0xFF;
            } while (--cacheSize != 0);
            cache = (int) ((low >>> 24) & 0xFF);
        }
        cacheSize++;
        low = (low & 0x00FFFFFFL) << 8;
    }

    private void put(int b) {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[len++] = (byte) b;
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("range encoder already finished");
        }
    }
}
