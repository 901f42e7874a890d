package dev.prism.codecs.cachegen;

/**
 * CacheGen's layer-wise quantization (ALGORITHMS.md 4.2), per layer and token: MAX = bins/2 - 1, scale m = max over
 * channels of |x|, symbol q = round(x * MAX / m + MAX) in [0, bins - 2], x' = (q - MAX) / MAX * m. Arithmetic is in
 * float with round-half-even, as torch does; an all-zero token (m = 0) codes as MAX and decodes to zeros instead of
 * the reference's NaN. The reconstruction error is at most m / (2 * MAX) per value.
 */
final class LayerQuantizer {
    private LayerQuantizer() {
    }

    /**
     * @param layer   [kvHead][token][headDim]
     * @param symbols out: [token - from][channel]
     * @param scales  out: per token of the range
     */
    static void quantize(float[][][] layer, int from, int n, int bins, byte[][] symbols, float[] scales) {
        int max = bins / 2 - 1;
        int heads = layer.length;
        int d = layer[0][0].length;
        for (int t = 0; t < n; t++) {
            float m = 0;
            for (int h = 0; h < heads; h++) {
                for (float x : layer[h][from + t]) {
                    m = Math.max(m, Math.abs(x));
                }
            }
            scales[t] = m;
            byte[] row = symbols[t];
            for (int h = 0; h < heads; h++) {
                float[] x = layer[h][from + t];
                for (int i = 0; i < d; i++) {
                    int q = m == 0 ? max : (int) Math.rint(x[i] * max / m + max);
                    row[h * d + i] = (byte) Math.max(0, Math.min(2 * max, q));
                }
            }
        }
    }

    static void dequantize(byte[][] symbols, float[] scales, int bins, float[][][] layer, int from) {
        int max = bins / 2 - 1;
        int heads = layer.length;
        int d = layer[0][0].length;
        for (int t = 0; t < symbols.length; t++) {
            float m = scales[t];
            for (int h = 0; h < heads; h++) {
                float[] out = layer[h][from + t];
                for (int i = 0; i < d; i++) {
                    int q = symbols[t][h * d + i] & 0xFF;
                    out[i] = (q - max) / (float) max * m;
                }
            }
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
