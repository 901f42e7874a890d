package dev.prism.llm.pruning;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Elastic Cache (ECCV 2024; ALGORITHMS.md 3). Prefill: per layer, accumulate head-mean attention column sums as token
 * importance, frozen afterwards (3.2). Budget forget = trunc(len - seen * (1 - ratio)) (3.3). The first time it is
 * positive (normally right after prefill, with forget > 1) the cache is merged (3.4): among the candidates
 * [startSize, len - protectSize) the forget lowest-scoring are evicted and each is averaged (unweighted, anchor
 * included) into the anchor nearest in cache position (ties to the earlier anchor); the new cache is sinks ++ anchors
 * (ascending) ++ the protected tail; the fixed point p* = (len - forget) + distance (or distance when positive) is set.
 * Later, whenever forget >= 1, exactly forget entries at p* are removed (3.5; forget is 1 in steady state).
 *
 * <p>{@code referenceCompat} reproduces the reference's argsort quirk literally (kept set = ranks whose argsort value
 * exceeds forget, thrown indices without the startSize offset, forget + 1 thrown, a lone forget == 1 before any merge
 * evicting index 0). Scores, merges and p* are per layer; a layer whose KV heads hold different tokens (after
 * per-head pruning) is handled per KV head with that head's query group, a deviation only composition can trigger.
 * p* is clamped into the cache.
 */
public final class ElasticCachePolicy implements CachePolicy {
    /** The reference CLI defaults: ratio 0.2, startSize 1, protectSize 1, distance -25. */
    public record Config(double ratio, int startSize, int protectSize, int distance, boolean referenceCompat) {
        public Config {
            CacheBudget.checkRatio(ratio);
            PruningInputException.check(startSize >= 0 && protectSize >= 1,
                    "startSize " + startSize + " must be >= 0 and protectSize " + protectSize + " >= 1");
        }

        public static Config defaults() {
            return new Config(0.2, 1, 1, -25, false);
        }
    }

    private final Config config;
    private double[][][] scores;
    private boolean[][] merged;
    private int[][] fixedPoint;

    public ElasticCachePolicy(Config config) {
        this.config = config;
    }

    @Override
    public Set<Need> needs(boolean prefill) {
        return prefill ? EnumSet.of(Need.COLUMN_SUMS) : EnumSet.noneOf(Need.class);
    }

    @Override
    public CachePlan afterStep(CacheStep step) {
        CacheLayout layout = step.layout();
        int layers = layout.layers();
        int kv = layout.kvHeads();
        if (scores == null) {
            scores = new double[layers][kv][];
            merged = new boolean[layers][kv];
            fixedPoint = new int[layers][kv];
        }
        CachePlan.Builder b = CachePlan.builder(layers, kv);
        for (int l = 0; l < layers; l++) {
            boolean uniform = layout.uniform(l);
            if (step.prefill()) {
                float[][] sums = step.attention().columnSums(l);
                for (int h = 0; h < kv; h++) {
                    scores[l][h] = CacheBudget.accumulate(scores[l][h], layout, l, h, sums, uniform);
                }
            }
            for (int h = 0; h < kv; h++) {
                int n = layout.length(l, h);
                int forget = CacheBudget.forget(n, step.tokensSeen(), config.ratio());
                if (forget <= 0) {
                    continue;
                }
                int[][] groups;
                if (!merged[l][h] && (forget > 1 || !config.referenceCompat())) {
                    groups = config.referenceCompat() ? mergeLiteral(l, h, layout.ids(l, h), forget)
                            : mergeIntended(l, h, layout.ids(l, h), forget);
                    merged[l][h] = true;
                } else {
                    int p = Math.max(0, Math.min(fixedPoint[l][h], n - forget));
                    groups = singletons(CacheBudget.keepAllBut(n, p, Math.min(forget, n)));
                }
                if (groups != null) {
                    b.groups(l, h, groups);
                }
            }
        }
        return b.build();
    }

    private int[][] mergeIntended(int l, int h, int[] ids, int forget) {
        int n = ids.length;
        int lo = Math.min(config.startSize(), n);
        int hi = Math.max(lo, n - config.protectSize());
        int evictCount = Math.min(forget, hi - lo - 1); // at least one anchor must remain
        if (evictCount <= 0) {
            fixedPoint[l][h] = fixed(n, 0);
            return null;
        }
        double[] cand = new double[hi - lo];
        for (int i = 0; i < cand.length; i++) {
            cand[i] = CacheBudget.score(scores[l][h], ids[lo + i]);
        }
        int[] order = TopK.argsort(cand);
        boolean[] evicted = new boolean[n];
        for (int i = 0; i < evictCount; i++) {
            evicted[lo + order[i]] = true;
        }
        int[] anchors = new int[cand.length - evictCount];
        for (int i = lo, o = 0; i < hi; i++) {
            if (!evicted[i]) {
                anchors[o++] = i;
            }
        }
        List<List<Integer>> members = new ArrayList<>();
        for (int a : anchors) {
            members.add(new ArrayList<>(List.of(a)));
        }
        for (int i = lo; i < hi; i++) {
            if (evicted[i]) {
                members.get(nearest(anchors, i)).add(i);
            }
        }
        fixedPoint[l][h] = fixed(n, evictCount);
        return assemble(lo, members, hi, n);
    }

    private int[][] mergeLiteral(int l, int h, int[] ids, int forget) {
        int n = ids.length;
        int start = Math.min(config.startSize(), n);
        int end = n - config.protectSize();
        PruningInputException.check(end > start, "referenceCompat merge on a lane of " + n + " entries leaves no "
                + "candidates between the sinks and the protected tail");
        double[] cand = new double[end - start];
        for (int i = 0; i < cand.length; i++) {
            cand[i] = CacheBudget.score(scores[l][h], ids[start + i]);
        }
        int[] order = TopK.argsort(cand);
        List<Integer> selected = new ArrayList<>();
        List<Integer> thrown = new ArrayList<>();
        for (int i = 0; i < order.length; i++) {
            if (order[i] > forget) {
                selected.add(i + start);
            } else {
                thrown.add(i); // the reference takes these without the startSize offset
            }
        }
        PruningInputException.check(!selected.isEmpty(), "referenceCompat merge keeps no anchor (forget " + forget
                + " on " + n + " entries): the reference would fail here too");
        int[] anchors = selected.stream().mapToInt(Integer::intValue).toArray();
        List<List<Integer>> members = new ArrayList<>();
        for (int a : anchors) {
            members.add(new ArrayList<>(List.of(a)));
        }
        for (int t : thrown) {
            members.get(nearest(anchors, t)).add(t);
        }
        fixedPoint[l][h] = fixed(n, forget);
        int[][] groups = new int[start + anchors.length + 1][];
        for (int i = 0; i < start; i++) {
            groups[i] = new int[] {i};
        }
        for (int i = 0; i < anchors.length; i++) {
            groups[start + i] = members.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        groups[groups.length - 1] = new int[] {end}; // the reference keeps exactly one tail index
        return groups;
    }

    private int fixed(int n, int forget) {
        return config.distance() > 0 ? config.distance() : n - forget + config.distance();
    }

    /** Index into {@code anchors} (ascending) of the one nearest to position p; ties go to the earlier anchor. */
    private static int nearest(int[] anchors, int p) {
        int i = java.util.Arrays.binarySearch(anchors, p);
        if (i >= 0) {
            return i;
        }
        int ins = -i - 1;
        if (ins == 0) {
            return 0;
        }
        if (ins == anchors.length) {
            return anchors.length - 1;
        }
        return p - anchors[ins - 1] <= anchors[ins] - p ? ins - 1 : ins;
    }

    private static int[][] assemble(int sinks, List<List<Integer>> members, int tailFrom, int n) {
        int[][] groups = new int[sinks + members.size() + (n - tailFrom)][];
        int o = 0;
        for (int i = 0; i < sinks; i++) {
            groups[o++] = new int[] {i};
        }
        for (List<Integer> m : members) {
            groups[o++] = m.stream().mapToInt(Integer::intValue).toArray();
        }
        for (int i = tailFrom; i < n; i++) {
            groups[o++] = new int[] {i};
        }
        return groups;
    }

    private static int[][] singletons(int[] keep) {
        int[][] g = new int[keep.length][];
        for (int i = 0; i < keep.length; i++) {
            g[i] = new int[] {keep[i]};
        }
        return g;
    }
}
