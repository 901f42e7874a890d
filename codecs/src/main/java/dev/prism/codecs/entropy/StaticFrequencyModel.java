package dev.prism.codecs.entropy;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Fixed model built from counts (CacheGen's per-(layer, channel) CDFs, QUEEN's attribute
 * histograms, a codebook's usage prior, a packet's own histogram). Counts are scaled so the total
 * is at most 2^16; {@link #fromCounts} gives symbols never seen frequency 1 so that any symbol stays
 * codable, {@link #exact} gives them 0 when the histogram is exactly what will be coded.
 */
public final class StaticFrequencyModel implements FrequencyModel {
    private final int[] cum;   // cum[s] = low(s); cum[size] = total

    private StaticFrequencyModel(int[] freqs) {
        cum = new int[freqs.length + 1];
        for (int i = 0; i < freqs.length; i++) {
            cum[i + 1] = cum[i] + freqs[i];
        }
    }

    /** Zero counts get freq 1; the rest are scaled (largest-first trimming) to a total of at most 2^16. */
    public static StaticFrequencyModel fromCounts(long[] counts) {
        return new StaticFrequencyModel(scale(counts, true));
    }

    /**
     * The two-pass model of a histogram whose symbols are exactly the ones that will be coded: counts
     * are used as they are when they sum to at most 2^16 (so the code length is the histogram's
     * plug-in entropy, ALGORITHMS.md 4.3), else scaled as in {@link #fromCounts}; a zero count stays
     * 0 (that symbol cannot be coded, and no probability is spent on it), a non-zero one stays >= 1.
     */
    public static StaticFrequencyModel exact(long[] counts) {
        return new StaticFrequencyModel(scale(counts, false));
    }

    private static int[] scale(long[] counts, boolean floorZeros) {
        int n = counts.length;
        if (n < 1 || n > MAX_TOTAL) {
            throw new IllegalArgumentException("static model needs 1..65536 symbols, got " + n);
        }
        long sum = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative count " + c + " in histogram");
            }
            sum += c;
        }
        if (!floorZeros && sum == 0) {
            throw new IllegalArgumentException("an exact model needs at least one non-zero count");
        }
        int[] freqs = new int[n];
        long total = 0;
        boolean asIs = !floorZeros && sum <= MAX_TOTAL;
        for (int i = 0; i < n; i++) {
            long f = asIs ? counts[i] : sum == 0 ? 1 : Math.round((double) counts[i] * MAX_TOTAL / sum);
            freqs[i] = (int) (floorZeros || counts[i] > 0 ? Math.max(1, f) : 0);
            total += freqs[i];
        }
        // Rounding and the floor of 1 can overshoot; take the excess from the largest frequencies,
        // where one unit costs the least relative precision.
        while (total > MAX_TOTAL) {
            long excess = total - MAX_TOTAL;
            int largest = 0;
            for (int i = 1; i < n; i++) {
                if (freqs[i] > freqs[largest]) {
                    largest = i;
                }
            }
            int take = (int) Math.min(excess, Math.max(1, freqs[largest] / 64));
            take = Math.min(take, freqs[largest] - 1);
            freqs[largest] -= take;
            total -= take;
        }
        return freqs;
    }

    /** Builds a model from already-scaled frequencies (each >= 1, total <= 2^16). */
    public static StaticFrequencyModel fromFrequencies(int[] freqs) {
        long total = 0;
        for (int f : freqs) {
            if (f < 1) {
                throw new IllegalArgumentException("frequency " + f + " < 1");
            }
            total += f;
        }
        if (freqs.length < 1 || total > MAX_TOTAL) {
            throw new IllegalArgumentException("frequencies must be non-empty with total <= 65536, got total " + total);
        }
        return new StaticFrequencyModel(freqs.clone());
    }

    /** Compact serialisation: symbol count, then each frequency minus one as a varint. */
    public void writeTo(DataOutput out) throws IOException {
        int n = size();
        out.writeInt(n);
        for (int s = 0; s < n; s++) {
            int v = freq(s) - 1;
            while ((v & ~0x7F) != 0) {
                out.writeByte((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.writeByte(v);
        }
    }

    public static StaticFrequencyModel readFrom(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 1 || n > MAX_TOTAL) {
            throw new IOException("static frequency model: symbol count " + n + " outside 1..65536; the model data is corrupt");
        }
        int[] freqs = new int[n];
        long total = 0;
        for (int s = 0; s < n; s++) {
            int v = 0;
            for (int shift = 0; ; shift += 7) {
                int b = in.readUnsignedByte();
                v |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
                if (shift > 14) {
                    throw new IOException("static frequency model: varint too long at symbol " + s + "; the model data is corrupt");
                }
            }
            freqs[s] = v + 1;
            total += freqs[s];
            if (total > MAX_TOTAL) {
                throw new IOException("static frequency model: total exceeds 65536 at symbol " + s + "; the model data is corrupt");
            }
        }
        return new StaticFrequencyModel(freqs);
    }

    @Override
    public int size() {
        return cum.length - 1;
    }

    @Override
    public int total() {
        return cum[cum.length - 1];
    }

    @Override
    public int low(int symbol) {
        return cum[symbol];
    }

    @Override
    public int freq(int symbol) {
        return cum[symbol + 1] - cum[symbol];
    }

    @Override
    public int symbolAt(int target) {
        int lo = 0;
        int hi = cum.length - 2;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (cum[mid] <= target) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
