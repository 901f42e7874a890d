package dev.prism.llm.pruning;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * PLPHP, per-layer per-head vision-token pruning (ALGORITHMS.md 2.1, 2.2), as a cache policy applied once, right
 * after prefill. Level 1: for every layer l >= K, gamma_l = head-mean share of the last prompt token's attention that
 * goes to vision tokens; the layer's class gives r_l in {r + dR, r, r - dR}. Level 2: per KV head, the scores of its
 * query heads (the last prompt token's attention) are aggregated by the configured GQA rule and the top
 * ceil(r_l * N_v) vision entries are kept; text and system entries are always kept, order and RoPE phases unchanged
 * (a pure subset, so decoding attends over a ragged per-head cache). With r_l = 1 everywhere the plan is empty.
 */
public final class PlphpPolicy implements CachePolicy {
    private final PlphpConfig config;
    private final java.util.BitSet protectedIds = new java.util.BitSet();
    private boolean done;
    private final List<LayerDecision> decisions = new ArrayList<>();
    private long visionBefore;
    private long visionKept;

    /** What level 1 decided for one layer (for reports and calibration). */
    public record LayerDecision(int layer, double gamma, PlphpConfig.LayerClass layerClass, double retention) {
    }

    public PlphpPolicy(PlphpConfig config) {
        this.config = config;
    }

    /**
     * With token ids inside the vision span that are not vision tokens and are never pruned (Idefics3's tile markup:
     * {@code <fake_token_around_image>}, row/column and global-view tokens, newlines between the images' tiles).
     */
    public PlphpPolicy(PlphpConfig config, int[] protectedTokenIds) {
        this.config = config;
        for (int id : protectedTokenIds) {
            protectedIds.set(id);
        }
    }

    @Override
    public Set<Need> needs(boolean prefill) {
        return prefill && !done ? EnumSet.of(Need.LAST_ROW) : EnumSet.noneOf(Need.class);
    }

    @Override
    public CachePlan afterStep(CacheStep step) {
        if (done || !step.prefill()) {
            return CachePlan.none();
        }
        done = true;
        CacheLayout layout = step.layout();
        int kvHeads = layout.kvHeads();
        CachePlan.Builder b = CachePlan.builder(layout.layers(), kvHeads);
        for (int l = config.firstLayer(); l < layout.layers(); l++) {
            float[][] rows = step.attention().lastRow(l);
            PruningInputException.check(rows.length % kvHeads == 0, "layer " + l + " has " + rows.length
                    + " query heads, not a multiple of its " + kvHeads + " KV heads");
            int group = rows.length / kvHeads;
            double gamma = gamma(layout, l, rows, group);
            double rl = config.retention(gamma);
            decisions.add(new LayerDecision(l, gamma, config.classify(gamma), rl));
            for (int h = 0; h < kvHeads; h++) {
                int[] ids = layout.ids(l, h);
                List<Integer> vision = new ArrayList<>();
                for (int e = 0; e < ids.length; e++) {
                    if (isVision(ids[e])) {
                        vision.add(e);
                    }
                }
                int nv = vision.size();
                // the epsilon keeps e.g. 0.7 * 10 = 7.000000000000001 from rounding up to 8
                int k = (int) Math.min(nv, Math.ceil(rl * nv - 1e-9));
                visionBefore += nv;
                visionKept += k;
                if (k == nv) {
                    continue;
                }
                double[] scores = new double[nv];
                for (int i = 0; i < nv; i++) {
                    double acc = 0;
                    for (int q = 0; q < group; q++) {
                        float[] row = rows[h * group + q];
                        acc = config.aggregation().combine(acc, row[vision.get(i)], q == 0);
                    }
                    scores[i] = config.aggregation().finish(acc, group);
                }
                boolean[] keepVision = new boolean[nv];
                for (int i : TopK.ascending(scores, k)) {
                    keepVision[i] = true;
                }
                int[] keep = new int[ids.length - nv + k];
                for (int e = 0, v = 0, o = 0; e < ids.length; e++) {
                    if (!isVision(ids[e]) || keepVision[v++]) {
                        keep[o++] = e;
                    }
                }
                b.keep(l, h, keep);
            }
        }
        return b.build();
    }

    private double gamma(CacheLayout layout, int layer, float[][] rows, int group) {
        double sum = 0;
        for (int q = 0; q < rows.length; q++) {
            int[] ids = layout.ids(layer, q / group);
            PruningInputException.check(rows[q].length == ids.length, "layer " + layer + " query head " + q + " has "
                    + rows[q].length + " keys, its KV head holds " + ids.length);
            double v = 0;
            double all = 0;
            for (int e = 0; e < ids.length; e++) {
                all += rows[q][e];
                if (isVision(ids[e])) {
                    v += rows[q][e];
                }
            }
            sum += all > 0 ? v / all : 0;
        }
        return sum / rows.length;
    }

    private boolean isVision(int tokenId) {
        return tokenId >= config.visionStart() && tokenId < config.visionEnd() && !protectedIds.get(tokenId);
    }

    public List<LayerDecision> decisions() {
        return List.copyOf(decisions);
    }

    /** Realised retention over pruned layers and KV heads: kept vision entries / vision entries before. */
    public double realisedRetention() {
        return visionBefore == 0 ? 1 : (double) visionKept / visionBefore;
    }
}
