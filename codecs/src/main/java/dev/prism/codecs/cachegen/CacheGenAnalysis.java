package dev.prism.codecs.cachegen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where CacheGen's bits go on a given cache (ALGORITHMS.md 4.2-4.5), per (layer, K/V), in bits per value: the
 * entropy of the plain symbols under per-(channel, chunk) histograms, the coded histogram tables, the scales, and the
 * plain 8-bit baseline (8 bits plus the same per-token fp32 scale); the data statistics that decide them (per-token
 * abs-max over the token's RMS and over the mean channel standard deviation, neighbour-token correlation, and the
 * correlation with the token one frame earlier when a frame layout is given); and what delta-vs-anchor coding with the
 * per-token bound ({@link AnchorResidual}) costs for several group sizes, in raster order and, with a layout, in
 * patch-major order (the same patch of consecutive frames adjacent), for keys also with RoPE-turned anchors
 * ({@link KeyRope}). Tables are coded per layer with a fresh model, a
 * slight overestimate of the container's shared one. A measuring tool for benchmarks, not part of the codec.
 */
public final class CacheGenAnalysis {
    private CacheGenAnalysis() {
    }

    /**
     * @param layout  vision-token layout for the frame statistics and patch-major order, or null
     * @param groups  delta group sizes to try
     */
    public static List<Map<String, Object>> perLayer(KvCache kv, BinConfig bins, int chunkTokens, TokenOrder layout,
            int[] groups) {
        return perLayer(kv, bins, chunkTokens, layout, null, groups);
    }

    /** As above; with {@code rope}, the key rows also cost patch-major delta with RoPE-turned anchors. */
    public static List<Map<String, Object>> perLayer(KvCache kv, BinConfig bins, int chunkTokens, TokenOrder layout,
            KeyRope rope, int[] groups) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int layers = kv.layers();
        int c = kv.channels();
        int[] raster = TokenOrder.identity(kv.tokens());
        int[] pm = layout == null ? null : layout.permutation(kv.tokens());
        for (int kl = 0; kl < 2 * layers; kl++) {
            boolean key = kl < layers;
            float[][][] layer = key ? kv.keys()[kl] : kv.values()[kl - layers];
            int b = bins.bins(kl);
            double n = (double) kv.tokens() * c;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", kl % layers);
            row.put("kind", key ? "K" : "V");
            row.put("bins", b);
            double[] st = stats(layer, layout);
            row.put("absmax_over_token_rms", round(st[0]));
            row.put("absmax_over_channel_std", round(st[1]));
            row.put("corr_next_token", round(st[2]));
            row.put("corr_prev_frame", layout == null ? Double.NaN : round(st[3]));
            // what i.i.d. Gaussian channels would cost at this abs-max/std ratio: h(N) - log2(step), step = m / MAX
            row.put("gauss_bits", round(Math.log(Math.sqrt(2 * Math.PI * Math.E) * (b / 2 - 1) / st[1]) / Math.log(2)));
            row.put("int8_bits", round(8 + 32.0 / c));
            row.put("scale_bits", round(32.0 / c));
            double[] plain = cost(layer, raster, null, null, chunkTokens, b, 1);
            row.put("plain_sym_bits", round(plain[0] / n));
            row.put("plain_table_bits", round(plain[1] / n));
            for (int g : groups) {
                double[] d = cost(layer, raster, null, null, chunkTokens, b, g);
                row.put("delta" + g + "_bits", round((d[0] + d[1]) / n));
                row.put("delta" + g + "_fallback", round(d[2]));
            }
            if (pm != null) {
                double[] p = cost(layer, pm, layout, null, chunkTokens, b, 1);
                row.put("pm_plain_bits", round((p[0] + p[1]) / n));
                for (int g : groups) {
                    double[] d = cost(layer, pm, layout, null, chunkTokens, b, g);
                    row.put("pm_delta" + g + "_bits", round((d[0] + d[1]) / n));
                }
                for (int g : groups) {
                    double[] d = rope != null && key ? cost(layer, pm, layout, rope, chunkTokens, b, g) : null;
                    row.put("pm_rope_delta" + g + "_bits", d == null ? Double.NaN : round((d[0] + d[1]) / n));
                }
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * [symbol Shannon bits, table bits, fraction of non-anchor tokens coded plainly] for one layer in the given order
     * ({@code layout} null for raster), with fp32 scales as the reference sends them.
     */
    static double[] cost(float[][][] layer, int[] order, TokenOrder layout, KeyRope rope, int chunk, int bins,
            int group) {
        CodingOrder co = CodingOrder.of(layout, order.length);
        int heads = layer.length;
        double shannon = 0;
        double bits = 0;
        long residuals = 0;
        long members = 0;
        float[][] x = new float[heads][];
        for (int t0 = 0; t0 < order.length; t0 += chunk) {
            int n = Math.min(chunk, order.length - t0);
            float[] scales = new float[n];
            for (int i = 0; i < n; i++) {
                for (int h = 0; h < heads; h++) {
                    x[h] = layer[h][order[t0 + i]];
                }
                scales[i] = LayerQuantizer.absMax(x);
                if (group > 1 && co.anchor(t0 + i, t0, group) != t0 + i) {
                    members++;
                }
            }
            LayerCode lc = LayerCode.code(layer, co, t0, n, scales, bins, group, rope);
            shannon += lc.shannonBits;
            bits += lc.bits;
            residuals += lc.residualCount;
        }
        return new double[] {shannon, bits - shannon, members == 0 ? 0 : 1 - residuals / (double) members};
    }

    /** [mean absmax/token RMS, mean absmax/mean channel std, neighbour corr, previous-frame corr]. */
    static double[] stats(float[][][] layer, TokenOrder layout) {
        int heads = layer.length;
        int tokens = layer[0].length;
        int d = layer[0][0].length;
        int c = heads * d;
        double[] mean = new double[c];
        double[] sq = new double[c];
        double ratioTok = 0;
        double absmaxSum = 0;
        for (int t = 0; t < tokens; t++) {
            double m = 0;
            double ss = 0;
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < d; i++) {
                    double v = layer[h][t][i];
                    m = Math.max(m, Math.abs(v));
                    ss += v * v;
                    mean[h * d + i] += v;
                    sq[h * d + i] += v * v;
                }
            }
            absmaxSum += m;
            ratioTok += ss == 0 ? 0 : m / Math.sqrt(ss / c);
        }
        double stdSum = 0;
        for (int ch = 0; ch < c; ch++) {
            mean[ch] /= tokens;
            stdSum += Math.sqrt(Math.max(0, sq[ch] / tokens - mean[ch] * mean[ch]));
        }
        double next = corr(layer, mean, 1, 1, tokens);
        double frame = Double.NaN;
        if (layout != null && layout.frames() > 1) {
            frame = corr(layer, mean, layout.patchesPerFrame(), layout.start() + layout.patchesPerFrame(),
                    layout.start() + layout.frames() * layout.patchesPerFrame());
        }
        return new double[] {ratioTok / tokens, (absmaxSum / tokens) / (stdSum / c), next, frame};
    }

    /** Mean over channels of the correlation of x[t] with x[t - lag] for t in [from, to). */
    private static double corr(float[][][] layer, double[] mean, int lag, int from, int to) {
        int heads = layer.length;
        int d = layer[0][0].length;
        double sum = 0;
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < d; i++) {
                double mu = mean[h * d + i];
                double xy = 0;
                double xx = 0;
                double yy = 0;
                for (int t = from; t < to; t++) {
                    double a = layer[h][t][i] - mu;
                    double b = layer[h][t - lag][i] - mu;
                    xy += a * b;
                    xx += a * a;
                    yy += b * b;
                }
                sum += xx == 0 || yy == 0 ? 0 : xy / Math.sqrt(xx * yy);
            }
        }
        return sum / (heads * d);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
