package dev.prism.llm.pruning;

import java.util.EnumSet;
import java.util.Set;

/**
 * Heavy-hitter (H2O) baseline, after the reference's H2OCache (ALGORITHMS.md 3): accumulated head-mean attention per
 * token (prefill column sums plus every decode step's row), and whenever a lane exceeds (1 - ratio) of the tokens seen
 * the lowest-scoring entries outside the sinks and the protected newest entry are evicted. Deviations from the
 * reference, on purpose: scores are per layer (the reference also averages over layers), they stay aligned with the
 * cache after evictions (the reference's buffer does not after the first), the sinks are protected at every eviction,
 * and exactly {@code forget} entries go (the reference's argsort comparison drops one more on the first call).
 */
public final class H2OCachePolicy implements CachePolicy {
    private final double ratio;
    private final int startSize;
    private final int protectSize;
    private double[][][] scores;

    public H2OCachePolicy(double ratio, int startSize, int protectSize) {
        CacheBudget.checkRatio(ratio);
        PruningInputException.check(startSize >= 0 && protectSize >= 0, "sink/protect sizes must be non-negative");
        this.ratio = ratio;
        this.startSize = startSize;
        this.protectSize = protectSize;
    }

    @Override
    public Set<Need> needs(boolean prefill) {
        return EnumSet.of(Need.COLUMN_SUMS);
    }

    @Override
    public CachePlan afterStep(CacheStep step) {
        CacheLayout layout = step.layout();
        if (scores == null) {
            scores = new double[layout.layers()][layout.kvHeads()][];
        }
        CachePlan.Builder b = CachePlan.builder(layout.layers(), layout.kvHeads());
        for (int l = 0; l < layout.layers(); l++) {
            boolean uniform = layout.uniform(l);
            float[][] sums = step.attention().columnSums(l);
            for (int h = 0; h < layout.kvHeads(); h++) {
                scores[l][h] = CacheBudget.accumulate(scores[l][h], layout, l, h, sums, uniform);
                int n = layout.length(l, h);
                int lo = Math.min(startSize, n);
                int hi = Math.max(lo, n - protectSize);
                int forget = Math.min(CacheBudget.forget(n, step.tokensSeen(), ratio), hi - lo);
                if (forget <= 0) {
                    continue;
                }
                int[] ids = layout.ids(l, h);
                double[] cand = new double[hi - lo];
                for (int i = 0; i < cand.length; i++) {
                    cand[i] = CacheBudget.score(scores[l][h], ids[lo + i]);
                }
                int[] order = TopK.argsort(cand);
                boolean[] evict = new boolean[n];
                for (int i = 0; i < forget; i++) {
                    evict[lo + order[i]] = true;
                }
                int[] keep = new int[n - forget];
                for (int i = 0, o = 0; i < n; i++) {
                    if (!evict[i]) {
                        keep[o++] = i;
                    }
                }
                b.keep(l, h, keep);
            }
        }
        return b.build();
    }
}
