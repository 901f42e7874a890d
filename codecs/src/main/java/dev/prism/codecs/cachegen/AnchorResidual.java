package dev.prism.codecs.cachegen;

/**
 * Delta-vs-anchor coding of one token that keeps plain CacheGen's per-token error bound (ALGORITHMS.md 4.5 with 4.2's
 * bound): the token's residual from its anchor's reconstruction is quantized on the token's own grid (step m / MAX
 * with m the token's abs-max scale), so the error stays within m / (2 MAX) exactly as in plain coding; when some
 * residual falls outside the [0, 2 MAX] symbol range the token is coded plainly instead, and the decoder learns which
 * from the sign of its transmitted scale (scales are non-negative, so the sign bit is free).
 */
final class AnchorResidual {
    private AnchorResidual() {
    }

    /**
     * Quantizes {@code x} ([head][headDim]) against {@code anchor} with scale {@code m}; returns false (row left
     * partly written) when a residual does not fit the symbol range or m is zero.
     */
    static boolean quantize(float[][] x, float[][] anchor, float m, int bins, byte[] row) {
        if (!(m > 0)) {
            return false;
        }
        int max = bins / 2 - 1;
        int d = x[0].length;
        for (int h = 0; h < x.length; h++) {
            for (int i = 0; i < d; i++) {
                int q = (int) Math.rint((x[h][i] - anchor[h][i]) * max / m + max);
                if (q < 0 || q > 2 * max) {
                    return false;
                }
                row[h * d + i] = (byte) q;
            }
        }
        return true;
    }

    /** out = base + (q - MAX) / MAX * m per channel (base null: zero), the same float operations on both sides. */
    static void reconstruct(byte[] q, float m, int bins, float[][] base, float[][] out) {
        int max = bins / 2 - 1;
        int d = out[0].length;
        for (int h = 0; h < out.length; h++) {
            for (int i = 0; i < d; i++) {
                float v = ((q[h * d + i] & 0xFF) - max) / (float) max * m;
                out[h][i] = base == null ? v : base[h][i] + v;
            }
        }
    }
}
