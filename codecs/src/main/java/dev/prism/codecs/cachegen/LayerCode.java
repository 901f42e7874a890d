package dev.prism.codecs.cachegen;

import dev.prism.codecs.entropy.Entropy;
import dev.prism.codecs.entropy.HistogramCoder;
import dev.prism.codecs.entropy.RangeEncoder;

/**
 * One (layer, K/V) of a chunk quantized either plainly (ALGORITHMS.md 4.2) or delta-vs-anchor in groups of G
 * ({@link AnchorResidual}, 4.5): symbols in coded order, transmitted scales, which tokens are residuals, and the
 * per-channel histograms, kept apart for plain tokens and residuals (their distributions differ: residuals centre on
 * MAX, plain symbols on the channel's own level, so one shared CDF would pay for both spreads). {@link #bits} is the
 * Shannon cost of the symbols plus the coded histograms, what the encoder compares to choose the group per layer.
 */
final class LayerCode {
    final int group;
    final byte[][] symbols;
    final float[] scales;
    final boolean[] residual;
    final long[][] plainHist;
    final long[][] residualHist;
    final int residualCount;
    final double shannonBits;
    final double bits;

    private LayerCode(int group, byte[][] symbols, float[] scales, boolean[] residual, long[][] plainHist,
            long[][] residualHist, int residualCount, double shannonBits, double bits) {
        this.group = group;
        this.symbols = symbols;
        this.scales = scales;
        this.residual = residual;
        this.plainHist = plainHist;
        this.residualHist = residualHist;
        this.residualCount = residualCount;
        this.shannonBits = shannonBits;
        this.bits = bits;
    }

    /**
     * @param layer  [kvHead][token][headDim] in original token order
     * @param co     coded order and delta runs
     * @param scales transmitted scale per token of the chunk (>= the token's abs-max)
     * @param group  delta group size, 0 or 1 for plain
     * @param rope   for key layers: turn the anchor by the RoPE angle between the tokens (null: use it as is)
     */
    static LayerCode code(float[][][] layer, CodingOrder co, int from, int n, float[] scales,
            int bins, int group, KeyRope rope) {
        int heads = layer.length;
        int d = layer[0][0].length;
        int c = heads * d;
        byte[][] sym = new byte[n][c];
        boolean[] residual = new boolean[n];
        float[][] x = new float[heads][];
        float[][] anchor = new float[heads][d];
        float[][] predicted = rope == null ? anchor : new float[heads][d];
        KeyRope.Rotator rotator = rope == null ? null : rope.rotator();
        int[] order = co.order;
        int anchorToken = 0;
        int residuals = 0;
        for (int i = 0; i < n; i++) {
            int pos = from + i;
            for (int h = 0; h < heads; h++) {
                x[h] = layer[h][order[pos]];
            }
            float m = scales[i];
            if (group > 1) {
                int a = co.anchor(pos, from, group);
                if (a != pos && rotator != null) {
                    rotator.rotate(anchor, co.delta(anchorToken, order[pos]), predicted);
                }
                if (a != pos && AnchorResidual.quantize(x, predicted, m, bins, sym[i])) {
                    residual[i] = true;
                    residuals++;
                    continue;
                }
                LayerQuantizer.quantizeToken(x, m, bins, sym[i]);
                if (a == pos) {
                    AnchorResidual.reconstruct(sym[i], m, bins, null, anchor);
                    anchorToken = order[pos];
                }
            } else {
                LayerQuantizer.quantizeToken(x, m, bins, sym[i]);
            }
        }
        long[][] plain = new long[c][bins - 1];
        long[][] res = group > 1 ? new long[c][bins - 1] : null;
        for (int i = 0; i < n; i++) {
            long[][] into = residual[i] ? res : plain;
            for (int ch = 0; ch < c; ch++) {
                into[ch][sym[i][ch] & 0xFF]++;
            }
        }
        double shannon = 0;
        RangeEncoder tables = new RangeEncoder();
        HistogramCoder plainCoder = new HistogramCoder(bins - 1);
        HistogramCoder resCoder = new HistogramCoder(bins - 1);
        for (int ch = 0; ch < c; ch++) {
            shannon += Entropy.shannonBits(plain[ch]);
            plainCoder.encode(tables, plain[ch], n - residuals);
        }
        if (res != null && residuals > 0) {
            for (int ch = 0; ch < c; ch++) {
                shannon += Entropy.shannonBits(res[ch]);
                resCoder.encode(tables, res[ch], residuals);
            }
        }
        double bits = shannon + 8.0 * tables.finish().length;
        return new LayerCode(group > 1 ? group : 0, sym, scales, residual, plain, res, residuals, shannon, bits);
    }
}
