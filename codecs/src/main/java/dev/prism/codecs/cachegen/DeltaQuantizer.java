package dev.prism.codecs.cachegen;

/**
 * The paper's delta-vs-anchor mode (ALGORITHMS.md 4.5; not in the released code, details unverified, off by default):
 * the tokens of a chunk form groups of G; each group's first token is an anchor quantized as usual, the others code
 * their residual from the anchor's reconstruction (so decoding needs only the anchor, not the previous token). The
 * residual's scale is max(anchor scale, max |residual|): the anchor's step size, hence the same error bound, whenever
 * the residual fits, which concentrates the symbols around MAX and lowers their entropy on correlated tokens.
 */
final class DeltaQuantizer {
    private DeltaQuantizer() {
    }

    static void quantize(float[][][] layer, int from, int n, int bins, int group, byte[][] symbols, float[] scales) {
        if (group <= 1) {
            LayerQuantizer.quantize(layer, from, n, bins, symbols, scales);
            return;
        }
        int max = bins / 2 - 1;
        int heads = layer.length;
        int d = layer[0][0].length;
        float[][] anchor = new float[heads][d];
        for (int t = 0; t < n; t++) {
            if (t % group == 0) {
                byte[][] one = {symbols[t]};
                float[] s = new float[1];
                LayerQuantizer.quantize(layer, from + t, 1, bins, one, s);
                scales[t] = s[0];
                reconstruct(symbols[t], s[0], max, null, anchor);
                continue;
            }
            float mr = 0;
            for (int h = 0; h < heads; h++) {
                float[] x = layer[h][from + t];
                for (int i = 0; i < d; i++) {
                    mr = Math.max(mr, Math.abs(x[i] - anchor[h][i]));
                }
            }
            float s = Math.max(scales[t - t % group], mr);
            scales[t] = s;
            for (int h = 0; h < heads; h++) {
                float[] x = layer[h][from + t];
                for (int i = 0; i < d; i++) {
                    float r = x[i] - anchor[h][i];
                    int q = s == 0 ? max : (int) Math.rint(r * max / s + max);
                    symbols[t][h * d + i] = (byte) Math.max(0, Math.min(2 * max, q));
                }
            }
        }
    }

    static void dequantize(byte[][] symbols, float[] scales, int bins, int group, float[][][] layer, int from) {
        if (group <= 1) {
            LayerQuantizer.dequantize(symbols, scales, bins, layer, from);
            return;
        }
        int max = bins / 2 - 1;
        int heads = layer.length;
        int d = layer[0][0].length;
        float[][] anchor = new float[heads][d];
        float[][] out = new float[heads][];
        for (int t = 0; t < symbols.length; t++) {
            boolean isAnchor = t % group == 0;
            if (isAnchor) {
                reconstruct(symbols[t], scales[t], max, null, anchor);
            }
            for (int h = 0; h < heads; h++) {
                out[h] = layer[h][from + t];
            }
            if (isAnchor) {
                for (int h = 0; h < heads; h++) {
                    System.arraycopy(anchor[h], 0, out[h], 0, d);
                }
            } else {
                reconstruct(symbols[t], scales[t], max, anchor, out);
            }
        }
    }

    /** out = base + (q - MAX) / MAX * s per channel (base null: zero), in the same float operations on both sides. */
    private static void reconstruct(byte[] q, float s, int max, float[][] base, float[][] out) {
        int d = out[0].length;
        for (int h = 0; h < out.length; h++) {
            for (int i = 0; i < d; i++) {
                float v = ((q[h * d + i] & 0xFF) - max) / (float) max * s;
                out[h][i] = base == null ? v : base[h][i] + v;
            }
        }
    }
}
