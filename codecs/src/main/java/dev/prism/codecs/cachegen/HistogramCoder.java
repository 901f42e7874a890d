package dev.prism.codecs.cachegen;

import dev.prism.codecs.entropy.AdaptiveFrequencyModel;
import dev.prism.codecs.entropy.CorruptStreamException;
import dev.prism.codecs.entropy.RangeDecoder;
import dev.prism.codecs.entropy.RangeEncoder;

/**
 * Codes a chunk's per-(layer, channel) histograms, from which both sides rebuild the CDFs exactly (the reference
 * ships the int16 CDF table instead; the information is the same). Each count is one adaptive symbol in the context
 * (symbol index, size class of the previous count): 0..15 directly, larger values as an Exp-Golomb class plus raw
 * bits. The last count of each histogram is implied by the chunk's token count.
 */
final class HistogramCoder {
    private static final int DIRECT = 16;
    private static final int CLASSES = 17;
    private static final int BUCKETS = 5;

    private final AdaptiveFrequencyModel[][] ctx;

    HistogramCoder(int maxSymbols) {
        ctx = new AdaptiveFrequencyModel[Math.max(1, maxSymbols)][BUCKETS];
        for (AdaptiveFrequencyModel[] row : ctx) {
            for (int b = 0; b < BUCKETS; b++) {
                row[b] = new AdaptiveFrequencyModel(DIRECT + CLASSES);
            }
        }
    }

    private static int bucket(long prev) {
        return prev == 0 ? 0 : prev < 3 ? 1 : prev < 8 ? 2 : prev < 24 ? 3 : 4;
    }

    void encode(RangeEncoder enc, long[] counts, int total) {
        long prev = 0;
        long left = total;
        for (int s = 0; s + 1 < counts.length; s++) {
            int v = (int) counts[s];
            AdaptiveFrequencyModel m = ctx[s][bucket(prev)];
            if (v < DIRECT) {
                enc.encode(v, m);
            } else {
                int x = v - DIRECT + 1; // >= 1
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
            throw new CacheGenException("histogram does not sum to the chunk's " + total + " tokens");
        }
    }

    long[] decode(RangeDecoder dec, int symbols, int total, String where) {
        long[] counts = new long[symbols];
        long prev = 0;
        long left = total;
        try {
            for (int s = 0; s + 1 < symbols; s++) {
                int sym = dec.decode(ctx[s][bucket(prev)]);
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
                    throw new CacheGenException(where + " counts more symbols than the chunk's " + total
                            + " tokens: corrupt");
                }
            }
        } catch (CorruptStreamException e) {
            throw new CacheGenException(where + " is truncated or corrupt at byte " + e.offset(), e);
        }
        counts[symbols - 1] = left;
        return counts;
    }
}
