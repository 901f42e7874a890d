package dev.prism.codecs.entropy;

/**
 * Codes histograms compactly, so a two-pass coder can send the exact counts its static models are
 * built from (CacheGen's per-(layer, channel) CDFs, ALGORITHMS.md 4.3, ship the int16 CDF table
 * instead; the information is the same, at a fraction of the size).
 *
 * <p>Each count is one adaptive symbol: 0..15 directly, larger values as an Exp-Golomb class plus
 * raw bits. Its context is (the class the caller gives the symbol, size bucket of the previous
 * count). CacheGen's small alphabets use the symbol index as its class, so each bin learns its own
 * typical count over the chunk's many histograms; a large sparse alphabet (a 1024-entry codebook)
 * uses a few classes of expected count instead, so a bin its prior calls rare costs a fraction of a
 * bit to say "0". The last count of each histogram is implied by the total, which the caller knows
 * from elsewhere (tokens in a chunk, frames in a packet). Contexts learn across every histogram coded
 * with one instance and never after: a fresh instance per independently decodable block.
 */
public final class HistogramCoder {
    private static final int DIRECT = 16;
    private static final int CLASSES = 17;
    private static final int BUCKETS = 5;
    /** Largest count one symbol can carry: the top Exp-Golomb class has 16 raw bits. */
    public static final long MAX_COUNT = DIRECT - 2 + (1L << CLASSES);

    private final AdaptiveFrequencyModel[][] ctx;

    /** @param classes number of symbol classes (contexts are classes x 5 previous-count buckets) */
    public HistogramCoder(int classes) {
        ctx = new AdaptiveFrequencyModel[Math.max(1, classes)][BUCKETS];
        for (AdaptiveFrequencyModel[] row : ctx) {
            for (int b = 0; b < BUCKETS; b++) {
                row[b] = new AdaptiveFrequencyModel(DIRECT + CLASSES);
            }
        }
    }

    private static int bucket(long prev) {
        return prev == 0 ? 0 : prev < 3 ? 1 : prev < 8 ? 2 : prev < 24 ? 3 : 4;
    }

    /** Codes {@code counts} (summing to {@code total}) with symbol {@code s} in class {@code s}. */
    public void encode(RangeEncoder enc, long[] counts, long total) {
        encode(enc, counts, total, null);
    }

    /**
     * Codes {@code counts} (summing to {@code total}); symbol {@code s} uses the contexts of class
     * {@code classOf[s]}, or of class {@code s} when {@code classOf} is null.
     */
    public void encode(RangeEncoder enc, long[] counts, long total, int[] classOf) {
        long prev = 0;
        long left = total;
        for (int s = 0; s + 1 < counts.length; s++) {
            long v = counts[s];
            if (v < 0 || v > MAX_COUNT) {
                throw new IllegalArgumentException("histogram count " + v + " at symbol " + s + " outside 0.." + MAX_COUNT);
            }
            AdaptiveFrequencyModel m = ctx[classOf == null ? s : classOf[s]][bucket(prev)];
            if (v < DIRECT) {
                enc.encode((int) v, m);
            } else {
                int x = (int) (v - DIRECT + 1); // >= 1
                int k = 32 - Integer.numberOfLeadingZeros(x); // x in [2^(k-1), 2^k)
                enc.encode(DIRECT + k - 1, m);
                if (k > 1) {
                    enc.encodeBits(x - (1 << (k - 1)), k - 1);
                }
            }
            left -= v;
            prev = v;
        }
        if (counts[counts.length - 1] != left) {
            throw new IllegalArgumentException("histogram of " + counts.length + " symbols does not sum to its total "
                    + total);
        }
    }

    /** Inverse of {@link #encode(RangeEncoder, long[], long)}. */
    public long[] decode(RangeDecoder dec, int symbols, long total) {
        return decode(dec, symbols, total, null);
    }

    /**
     * Inverse of {@link #encode(RangeEncoder, long[], long, int[])}. Counts that add up to more than
     * {@code total} throw {@link CorruptStreamException}.
     */
    public long[] decode(RangeDecoder dec, int symbols, long total, int[] classOf) {
        long[] counts = new long[symbols];
        long prev = 0;
        long left = total;
        for (int s = 0; s + 1 < symbols; s++) {
            int sym = dec.decode(ctx[classOf == null ? s : classOf[s]][bucket(prev)]);
            long v;
            if (sym < DIRECT) {
                v = sym;
            } else {
                int k = sym - DIRECT + 1;
                long x = 1L << (k - 1);
                if (k > 1) {
                    x += dec.decodeBits(k - 1);
                }
                v = x + DIRECT - 1;
            }
            counts[s] = v;
            left -= v;
            prev = v;
            if (left < 0) {
                throw new CorruptStreamException(dec.bytesConsumed(), "histogram counts " + (total - left)
                        + " symbols by symbol " + s + " but its total is " + total + "; the coded data is corrupt");
            }
        }
        counts[symbols - 1] = left;
        return counts;
    }
}
