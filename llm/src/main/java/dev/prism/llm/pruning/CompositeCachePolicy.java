package dev.prism.llm.pruning;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Runs several policies after the same step, in order. Each later policy sees the layout and the attention as the
 * earlier policies' plans left them (attention to a merged entry is the sum of its members' attention), and the
 * returned plan is the earlier plans followed by the later ones. Typical order: MustDrop C, PLPHP, Elastic Cache.
 */
public final class CompositeCachePolicy implements CachePolicy {
    private final List<CachePolicy> policies;

    public CompositeCachePolicy(List<CachePolicy> policies) {
        PruningInputException.check(policies != null && !policies.isEmpty(), "a composite needs at least one policy");
        this.policies = List.copyOf(policies);
    }

    @Override
    public Set<Need> needs(boolean prefill) {
        Set<Need> all = EnumSet.noneOf(Need.class);
        for (CachePolicy p : policies) {
            all.addAll(p.needs(prefill));
        }
        return all;
    }

    @Override
    public CachePlan afterStep(CacheStep step) {
        CachePlan plan = CachePlan.none();
        CacheLayout layout = step.layout();
        StepAttention attention = step.attention();
        for (CachePolicy p : policies) {
            CachePlan next = p.afterStep(new CacheStep(step.prefill(), step.tokensSeen(), layout, attention));
            if (next.isEmpty()) {
                continue;
            }
            attention = new RemappedAttention(attention, next, layout.kvHeads());
            layout = next.apply(layout);
            plan = plan.andThen(next);
        }
        return plan;
    }

    /** Attention seen through a plan: each output entry's value is the sum over its group. */
    private static final class RemappedAttention implements StepAttention {
        private final StepAttention base;
        private final CachePlan plan;
        private final int kvHeads;

        RemappedAttention(StepAttention base, CachePlan plan, int kvHeads) {
            this.base = base;
            this.plan = plan;
            this.kvHeads = kvHeads;
        }

        @Override
        public float[][] columnSums(int layer) {
            return remap(layer, base.columnSums(layer));
        }

        @Override
        public float[][] lastRow(int layer) {
            return remap(layer, base.lastRow(layer));
        }

        private float[][] remap(int layer, float[][] perQueryHead) {
            return plan.carryAttention(layer, perQueryHead, kvHeads);
        }
    }
}
