package dev.prism.llm.pruning;

import java.util.EnumSet;
import java.util.Set;

/**
 * A KV-cache policy called by the generation loop after every forward pass (prefill and each decode step). It returns
 * a {@link CachePlan} that the runtime applies to K and V of every lane before the next step (an empty plan: leave the
 * cache alone). Policies are stateful per request: create one per generation. Compose with
 * {@link CompositeCachePolicy}.
 */
public interface CachePolicy {
    /** Which attention summaries the runtime must supply for a prefill or a decode step. */
    enum Need { COLUMN_SUMS, LAST_ROW }

    Set<Need> needs(boolean prefill);

    CachePlan afterStep(CacheStep step);

    /** The policy that never changes anything. */
    static CachePolicy full() {
        return new CachePolicy() {
            @Override
            public Set<Need> needs(boolean prefill) {
                return EnumSet.noneOf(Need.class);
            }

            @Override
            public CachePlan afterStep(CacheStep step) {
                return CachePlan.none();
            }
        };
    }
}
