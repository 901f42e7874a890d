package dev.prism.llm.pruning;

import java.util.ArrayList;
import java.util.List;

/**
 * A keep/merge plan for a KV cache, produced by a {@link CachePolicy}. It is a sequence of edits; each edit gives, per
 * layer and KV head, the output entries as groups of current entry indices: output entry i is the unweighted mean of
 * the rows in {@code groups[i]} (sum in member order, divided by the count, as a scatter-mean does), and
 * {@code groups[i][0]} is the destination whose token id (and RoPE phase) the entry keeps. A singleton group copies
 * the row reference unchanged, so a keep-only plan is bit-exact. A layer without an edit is untouched.
 * Plans compose with {@link #andThen}: the edits are applied in order.
 */
public final class CachePlan {
    private static final CachePlan NONE = new CachePlan(List.of());
    private final List<int[][][][]> edits;

    private CachePlan(List<int[][][][]> edits) {
        this.edits = edits;
    }

    public static CachePlan none() {
        return NONE;
    }

    public static Builder builder(int layers, int kvHeads) {
        return new Builder(layers, kvHeads);
    }

    public boolean isEmpty() {
        return edits.isEmpty();
    }

    /** True when some edit touches this layer (the runtime may skip untouched layers). */
    public boolean changes(int layer) {
        for (int[][][][] e : edits) {
            if (e[layer] != null) {
                return true;
            }
        }
        return false;
    }

    public CachePlan andThen(CachePlan next) {
        if (next.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return next;
        }
        List<int[][][][]> all = new ArrayList<>(edits);
        all.addAll(next.edits);
        return new CachePlan(List.copyOf(all));
    }

    /** Applies the plan to one lane's K (or V) rows, [entries][headDim]. */
    public float[][] apply(int layer, int kvHead, float[][] rows) {
        float[][] cur = rows;
        for (int[][][][] e : edits) {
            if (e[layer] == null || e[layer][kvHead] == null) {
                continue;
            }
            int[][] groups = e[layer][kvHead];
            float[][] out = new float[groups.length][];
            for (int i = 0; i < groups.length; i++) {
                int[] g = groups[i];
                checkIndex(g, cur.length, layer, kvHead);
                if (g.length == 1) {
                    out[i] = cur[g[0]];
                    continue;
                }
                float[] sum = cur[g[0]].clone();
                for (int m = 1; m < g.length; m++) {
                    float[] x = cur[g[m]];
                    for (int d = 0; d < sum.length; d++) {
                        sum[d] += x[d];
                    }
                }
                for (int d = 0; d < sum.length; d++) {
                    sum[d] /= g.length;
                }
                out[i] = sum;
            }
            cur = out;
        }
        return cur;
    }

    /**
     * For runtimes with their own storage: for every entry the lane holds after the plan, the index (in the lane
     * before the plan) of its destination, i.e. of the entry whose position it keeps. Entries that are not merges are
     * exact copies of that source; use {@link #isMerged} and {@link #apply(int, int, float[][])} for the others.
     */
    public int[] sources(int layer, int kvHead, int length) {
        int[] cur = new int[length];
        java.util.Arrays.setAll(cur, i -> i);
        for (int[][][][] e : edits) {
            if (e[layer] == null || e[layer][kvHead] == null) {
                continue;
            }
            int[][] groups = e[layer][kvHead];
            int[] next = new int[groups.length];
            for (int i = 0; i < groups.length; i++) {
                checkIndex(groups[i], cur.length, layer, kvHead);
                next[i] = cur[groups[i][0]];
            }
            cur = next;
        }
        return cur;
    }

    /** For each entry after the plan, whether some edit averaged it with other entries. */
    public boolean[] isMerged(int layer, int kvHead, int length) {
        boolean[] cur = new boolean[length];
        for (int[][][][] e : edits) {
            if (e[layer] == null || e[layer][kvHead] == null) {
                continue;
            }
            int[][] groups = e[layer][kvHead];
            boolean[] next = new boolean[groups.length];
            for (int i = 0; i < groups.length; i++) {
                checkIndex(groups[i], cur.length, layer, kvHead);
                next[i] = groups[i].length > 1 || cur[groups[i][0]];
            }
            cur = next;
        }
        return cur;
    }

    /** Applies the plan to a whole cache [layer][kvHead][entries][headDim] (reference path for tests and tools). */
    public float[][][][] apply(float[][][][] cache) {
        float[][][][] out = new float[cache.length][][][];
        for (int l = 0; l < cache.length; l++) {
            out[l] = new float[cache[l].length][][];
            for (int h = 0; h < cache[l].length; h++) {
                out[l][h] = apply(l, h, cache[l][h]);
            }
        }
        return out;
    }

    /** The token ids held after the plan: each output entry keeps its destination's id. */
    public CacheLayout apply(CacheLayout layout) {
        int[][][] ids = new int[layout.layers()][layout.kvHeads()][];
        for (int l = 0; l < ids.length; l++) {
            for (int h = 0; h < ids[l].length; h++) {
                int[] cur = layout.ids(l, h);
                for (int[][][][] e : edits) {
                    if (e[l] == null || e[l][h] == null) {
                        continue;
                    }
                    int[] next = new int[e[l][h].length];
                    for (int i = 0; i < next.length; i++) {
                        checkIndex(e[l][h][i], cur.length, l, h);
                        next[i] = cur[e[l][h][i][0]];
                    }
                    cur = next;
                }
                ids[l][h] = cur;
            }
        }
        // keep lanes that hold equal ids shared so that uniform() stays cheap
        for (int[][] layer : ids) {
            for (int h = 1; h < layer.length; h++) {
                if (java.util.Arrays.equals(layer[h], layer[0])) {
                    layer[h] = layer[0];
                }
            }
        }
        return new CacheLayout(ids);
    }

    /**
     * The groups of one edit for a lane, null when that edit leaves the lane alone. For runtimes that apply plans to
     * their own cache storage: per edit in order, output entry i = mean of current entries groups[i] (destination
     * groups[i][0] keeps its position), then the lane holds exactly the outputs in this order.
     */
    public int[][] groups(int edit, int layer, int kvHead) {
        int[][][] e = edits.get(edit)[layer];
        return e == null ? null : e[kvHead];
    }

    /** Number of sequential edits (0 for an empty plan). */
    public int editCount() {
        return edits.size();
    }

    private static void checkIndex(int[] g, int length, int layer, int head) {
        if (g.length == 0) {
            throw new PruningInputException("empty merge group at layer " + layer + " head " + head);
        }
        for (int i : g) {
            if (i < 0 || i >= length) {
                throw new PruningInputException("plan refers to entry " + i + " of layer " + layer + " head " + head
                        + " which holds " + length + " entries: the plan was made for another cache");
            }
        }
    }

    /** Collects one edit. */
    public static final class Builder {
        private final int[][][][] edit;
        private final int kvHeads;
        private boolean any;

        private Builder(int layers, int kvHeads) {
            edit = new int[layers][][][];
            this.kvHeads = kvHeads;
        }

        /** Keep these entries of every KV head of the layer, in the given order. */
        public Builder keep(int layer, int[] entries) {
            return groups(layer, singletons(entries));
        }

        public Builder keep(int layer, int kvHead, int[] entries) {
            return groups(layer, kvHead, singletons(entries));
        }

        public Builder groups(int layer, int[][] groups) {
            for (int h = 0; h < kvHeads; h++) {
                groups(layer, h, groups);
            }
            return this;
        }

        public Builder groups(int layer, int kvHead, int[][] groups) {
            if (edit[layer] == null) {
                edit[layer] = new int[kvHeads][][];
            }
            edit[layer][kvHead] = groups;
            any = true;
            return this;
        }

        public CachePlan build() {
            return any ? new CachePlan(List.<int[][][][]>of(edit)) : NONE;
        }

        private static int[][] singletons(int[] entries) {
            int[][] g = new int[entries.length][];
            for (int i = 0; i < entries.length; i++) {
                g[i] = new int[] {entries[i]};
            }
            return g;
        }
    }

    /**
     * Per-query-head attention rows of one layer carried through this plan: each surviving entry carries the
     * sum over its group, edit after edit (query head q maps to KV head q / (heads / kvHeads) under GQA).
     */
    public float[][] carryAttention(int layer, float[][] perQueryHead, int kvHeads) {
        int group = Math.max(1, perQueryHead.length / kvHeads);
        float[][] out = new float[perQueryHead.length][];
        for (int q = 0; q < perQueryHead.length; q++) {
            float[] cur = perQueryHead[q];
            for (int e = 0; e < editCount(); e++) {
                int[][] groups = groups(e, layer, q / group);
                if (groups == null) {
                    continue;
                }
                float[] next = new float[groups.length];
                for (int i = 0; i < groups.length; i++) {
                    for (int m : groups[i]) {
                        next[i] += cur[m];
                    }
                }
                cur = next;
            }
            out[q] = cur;
        }
        return out;
    }
}
