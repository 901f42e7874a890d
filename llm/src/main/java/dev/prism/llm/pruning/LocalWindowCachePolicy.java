package dev.prism.llm.pruning;

import java.util.EnumSet;
import java.util.Set;

/**
 * Local-window baseline (StreamingLLM-like; the reference's LocalCache, ALGORITHMS.md 3): keep the first
 * {@code startSize} sink tokens and the most recent entries, dropping the oldest non-sink entries so each lane holds
 * about (1 - ratio) of the tokens seen.
 */
public final class LocalWindowCachePolicy implements CachePolicy {
    private final double ratio;
    private final int startSize;

    public LocalWindowCachePolicy(double ratio, int startSize) {
        CacheBudget.checkRatio(ratio);
        PruningInputException.check(startSize >= 0, "startSize " + startSize + " is negative");
        this.ratio = ratio;
        this.startSize = startSize;
    }

    @Override
    public Set<Need> needs(boolean prefill) {
        return EnumSet.noneOf(Need.class);
    }

    @Override
    public CachePlan afterStep(CacheStep step) {
        CacheLayout layout = step.layout();
        CachePlan.Builder b = CachePlan.builder(layout.layers(), layout.kvHeads());
        for (int l = 0; l < layout.layers(); l++) {
            for (int h = 0; h < layout.kvHeads(); h++) {
                int n = layout.length(l, h);
                int forget = Math.min(CacheBudget.forget(n, step.tokensSeen(), ratio), n - startSize);
                if (forget > 0) {
                    b.keep(l, h, CacheBudget.keepAllBut(n, startSize, forget));
                }
            }
        }
        return b.build();
    }
}
