package dev.prism.codecs.cachegen;

/**
 * CacheGen's layer-wise quantization (ALGORITHMS.md 4.2), per layer and token: MAX = bins/2 - 1, scale m = max over
 * channels of |x|, symbol q = round(x * MAX / m + MAX) in [0, bins - 2], x' = (q - MAX) / MAX * m. Arithmetic is in
 * float with round-half-even, as torch does; an all-zero token (m = 0) codes as MAX and decodes to zeros instead of
 * the reference's NaN. The reconstruction error is at most m / (2 * MAX) per value, for any transmitted m at least the
 * abs-max (the encoder may round m up, see {@link HalfScale}).
 */
final class LayerQuantizer {
    private LayerQuantizer() {
    }

    /** Abs-max over the channels of one token given as [head][headDim] rows. */
    static float absMax(float[][] x) {
        float m = 0;
        for (float[] row : x) {
            for (float v : row) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    /** Symbols of one token ([head][headDim] rows) with scale m (>= its abs-max) into row[head * d + i]. */
    static void quantizeToken(float[][] x, float m, int bins, byte[] row) {
        int max = bins / 2 - 1;
        int d = x[0].length;
        for (int h = 0; h < x.length; h++) {
            for (int i = 0; i < d; i++) {
                int q = m == 0 ? max : (int) Math.rint(x[h][i] * max / m + max);
                row[h * d + i] = (byte) Math.max(0, Math.min(2 * max, q));
            }
        }
    }

    /**
     * @param layer   [kvHead][token][headDim]
     * @param symbols out: [token - from][channel]
     * @param scales  out: per token of the range (the exact abs-max)
     */
    static void quantize(float[][][] layer, int from, int n, int bins, byte[][] symbols, float[] scales) {
        float[][] x = new float[layer.length][];
        for (int t = 0; t < n; t++) {
            for (int h = 0; h < layer.length; h++) {
                x[h] = layer[h][from + t];
            }
            scales[t] = absMax(x);
            quantizeToken(x, scales[t], bins, symbols[t]);
        }
    }

    /** The CDF of ALGORITHMS.md 4.3 step 3 as frequencies: cdf[i] = floor((65535 - maxBins) * cum[i] / N) + i. */
    static int[] cdfFrequencies(long[] counts, int maxBins) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        int[] freq = new int[maxBins];
        long cum = 0;
        long prev = 0;
        for (int i = 1; i <= maxBins; i++) {
            cum += i - 1 < counts.length ? counts[i - 1] : 0;
            long cdf = total == 0 ? i : (65535L - maxBins) * cum / total + i;
            freq[i - 1] = (int) (cdf - prev);
            prev = cdf;
        }
        return freq;
    }
}
