package dev.prism.codecs.metrics;

import dev.prism.codecs.entropy.Entropy;

/**
 * Per-codebook usage statistics (ALGORITHMS.md 5.6 item 3): entropy of the code histogram in bits
 * (at most log2 of the codebook size), perplexity 2^entropy, and dead codes (never used).
 */
public record CodeUsage(int codebook, long count, double entropyBits, double perplexity, int deadCodes, int size) {

    /** {@code codes} frame-major with {@code codesPerFrame} per frame; one result per code position. */
    public static CodeUsage[] of(int[] codes, int codesPerFrame, int codebookSize) {
        long[][] hist = new long[codesPerFrame][codebookSize];
        for (int i = 0; i < codes.length; i++) {
            hist[i % codesPerFrame][codes[i]]++;
        }
        CodeUsage[] out = new CodeUsage[codesPerFrame];
        for (int k = 0; k < codesPerFrame; k++) {
            out[k] = of(k, hist[k]);
        }
        return out;
    }

    public static CodeUsage of(int codebook, long[] histogram) {
        long n = 0;
        int dead = 0;
        for (long c : histogram) {
            n += c;
            if (c == 0) {
                dead++;
            }
        }
        double h = Entropy.bitsPerSymbol(histogram);
        return new CodeUsage(codebook, n, h, Math.pow(2, h), dead, histogram.length);
    }
}
