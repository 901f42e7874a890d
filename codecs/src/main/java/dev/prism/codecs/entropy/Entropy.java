package dev.prism.codecs.entropy;

/** Empirical entropy, the yardstick the coded sizes are measured against. */
public final class Entropy {
    private Entropy() {
    }

    /** Sum over symbols of {@code -c * log2(c / N)}: the ideal coded size in bits of the counted data. */
    public static double shannonBits(long[] counts) {
        long n = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative count " + c + " in histogram");
            }
            n += c;
        }
        if (n == 0) {
            return 0.0;
        }
        double bits = 0;
        double log2n = Math.log(n) / Math.log(2);
        for (long c : counts) {
            if (c > 0) {
                bits += c * (log2n - Math.log(c) / Math.log(2));
            }
        }
        return bits;
    }

    /** Shannon entropy per symbol in bits ({@code shannonBits / N}); 0 for an empty histogram. */
    public static double bitsPerSymbol(long[] counts) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n == 0 ? 0.0 : shannonBits(counts) / n;
    }
}
