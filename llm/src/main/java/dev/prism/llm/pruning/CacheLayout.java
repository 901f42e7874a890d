package dev.prism.llm.pruning;

import java.util.Arrays;

/**
 * Which tokens each KV lane holds: for every layer and KV head, the original token index (0-based position in the
 * full, unpruned sequence) of each cache entry, in cache order. Policies key their state by token id so that plans
 * from other, composed policies never misalign it. A merged entry keeps its destination's id. Mutable only through
 * {@link #append}; plans return a new layout.
 */
public final class CacheLayout {
    private final int[][][] ids;

    public CacheLayout(int[][][] ids) {
        PruningInputException.check(ids != null && ids.length > 0 && ids[0].length > 0,
                "cache layout needs at least one layer and one KV head");
        for (int l = 0; l < ids.length; l++) {
            PruningInputException.check(ids[l].length == ids[0].length, "layer " + l + " has " + ids[l].length
                    + " KV heads, layer 0 has " + ids[0].length + ": every layer needs the same KV head count");
        }
        this.ids = ids;
    }

    /** Every lane holds tokens 0..length-1. */
    public static CacheLayout uniform(int layers, int kvHeads, int length) {
        int[] seq = new int[length];
        Arrays.setAll(seq, i -> i);
        return perLayer(layers, kvHeads, l -> seq);
    }

    /** Every KV head of layer l holds {@code idsOfLayer.apply(l)} (shared, not copied). */
    public static CacheLayout perLayer(int layers, int kvHeads, java.util.function.IntFunction<int[]> idsOfLayer) {
        int[][][] ids = new int[layers][kvHeads][];
        for (int l = 0; l < layers; l++) {
            int[] lane = idsOfLayer.apply(l);
            for (int h = 0; h < kvHeads; h++) {
                ids[l][h] = lane;
            }
        }
        return new CacheLayout(ids);
    }

    public int layers() {
        return ids.length;
    }

    public int kvHeads() {
        return ids[0].length;
    }

    public int[] ids(int layer, int kvHead) {
        return ids[layer][kvHead];
    }

    public int length(int layer, int kvHead) {
        return ids[layer][kvHead].length;
    }

    /** True when all KV heads of the layer hold the same tokens (no per-head pruning has happened there). */
    public boolean uniform(int layer) {
        for (int h = 1; h < ids[layer].length; h++) {
            if (ids[layer][h] != ids[layer][0] && !Arrays.equals(ids[layer][h], ids[layer][0])) {
                return false;
            }
        }
        return true;
    }

    /** Total cached entries over all lanes (K or V rows), e.g. for KV byte counts. */
    public long totalEntries() {
        long n = 0;
        for (int[][] layer : ids) {
            for (int[] lane : layer) {
                n += lane.length;
            }
        }
        return n;
    }

    /** K plus V bytes of the cache this layout describes, at {@code bytesPerValue} (2 for fp16, 4 for fp32). */
    public long kvBytes(int headDim, int bytesPerValue) {
        return totalEntries() * 2L * headDim * bytesPerValue;
    }

    /** Records one new token appended to every lane (a decode step). */
    public void append(int tokenId) {
        for (int l = 0; l < ids.length; l++) {
            int[] shared = null;
            int[] sharedSrc = null;
            for (int h = 0; h < ids[l].length; h++) {
                int[] src = ids[l][h];
                if (src == sharedSrc) {
                    ids[l][h] = shared;
                    continue;
                }
                int[] n = Arrays.copyOf(src, src.length + 1);
                n[src.length] = tokenId;
                sharedSrc = src;
                shared = n;
                ids[l][h] = n;
            }
        }
    }

    int[][][] raw() {
        return ids;
    }
}
