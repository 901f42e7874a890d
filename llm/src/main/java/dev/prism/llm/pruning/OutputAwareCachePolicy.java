package dev.prism.llm.pruning;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * MustDrop stage C (ALGORITHMS.md 1.3): right after prefill, index-select the caches of the layers from the first to
 * the last pruning layer with the composed stage maps, so that a vision token dropped by a deeper layer is evicted
 * from every shallower pruned layer too. The first pruning layer uses stage 0's map, layers in (p[i-1], p[i]] use
 * stage i's. Layers before the first pruning layer keep their full caches; deeper layers already hold the final set.
 * Decode steps change nothing. For the per-layer decode position see {@link DecodePositionRule}.
 */
public final class OutputAwareCachePolicy implements CachePolicy {
    private final MustDropPrefill prefill;
    private boolean done;

    OutputAwareCachePolicy(MustDropPrefill prefill) {
        this.prefill = prefill;
    }

    @Override
    public Set<Need> needs(boolean prefill) {
        return EnumSet.noneOf(Need.class);
    }

    @Override
    public CachePlan afterStep(CacheStep step) {
        if (done) {
            return CachePlan.none();
        }
        done = true;
        int[] stageLayers = prefill.stageLayers();
        if (stageLayers.length == 0) {
            return CachePlan.none();
        }
        List<int[]> composed = prefill.composedMaps();
        int[] domain = prefill.stageInputLengths();
        CacheLayout layout = step.layout();
        CachePlan.Builder b = CachePlan.builder(layout.layers(), layout.kvHeads());
        int last = Math.min(stageLayers[stageLayers.length - 1], layout.layers() - 1);
        for (int l = stageLayers[0]; l <= last; l++) {
            int stage = 0;
            while (stageLayers[stage] < l) {
                stage++;
            }
            int[] map = composed.get(stage);
            for (int h = 0; h < layout.kvHeads(); h++) {
                PruningInputException.check(layout.length(l, h) == domain[stage], "layer " + l + " head " + h
                        + " caches " + layout.length(l, h) + " entries but MustDrop stage " + stage + " ran on "
                        + domain[stage] + ": run stage C right after prefill, before other policies change the cache");
            }
            if (map.length != domain[stage]) {
                b.keep(l, map);
            }
        }
        return b.build();
    }
}
