package dev.prism.codecs.cachegen;

/**
 * The order tokens are coded in and where each delta group starts (ALGORITHMS.md 4.5), built from a
 * {@link TokenLayout} (or raster order without one). order[pos] is the token at coded position pos; runStart[pos] is
 * the first coded position of its run, so a delta group never spans two runs (two patches, or vision and text); a
 * group also never reaches back before its chunk, which is decoded on its own. positions give the RoPE distance
 * between a key anchor and its members.
 */
final class CodingOrder {
    final int[] order;
    private final int[] runStart;
    private final long[] positions;

    private CodingOrder(int[] order, int[] runStart, long[] positions) {
        this.order = order;
        this.runStart = runStart;
        this.positions = positions;
    }

    static CodingOrder of(TokenLayout layout, int tokens) {
        if (layout == null) {
            return new CodingOrder(TokenOrder.identity(tokens), new int[tokens], null);
        }
        if (layout instanceof TokenOrder grid) {
            int[] runs = new int[tokens];
            int end = grid.start() + grid.frames() * grid.patchesPerFrame();
            for (int pos = 0; pos < tokens; pos++) {
                runs[pos] = TokenOrder.anchor(grid, pos, 0, Integer.MAX_VALUE);
            }
            return new CodingOrder(grid.permutation(tokens), runs, null);
        }
        TokenRuns r = (TokenRuns) layout;
        CacheGenException.check(r.keys().length == tokens, "token runs cover " + r.keys().length + " tokens, the cache "
                + "holds " + tokens);
        return keyed(r.keys(), r.positions());
    }

    private static CodingOrder keyed(int[] keys, long[] positions) {
        int n = keys.length;
        int first = 0;
        while (first < n && keys[first] < 0) {
            first++;
        }
        int[] order = new int[n];
        int[] runs = new int[n];
        int pos = 0;
        for (; pos < first; pos++) {
            order[pos] = pos;
        }
        int keyed = 0;
        for (int t = first; t < n; t++) {
            keyed += keys[t] >= 0 ? 1 : 0;
        }
        Integer[] idx = new Integer[keyed];
        int k = 0;
        for (int t = first; t < n; t++) {
            if (keys[t] >= 0) {
                idx[k++] = t;
            }
        }
        // stable: a run keeps token order (frame order for the same patch)
        java.util.Arrays.sort(idx, java.util.Comparator.comparingInt(t -> keys[t]));
        for (int i = 0; i < keyed; i++) {
            order[pos] = idx[i];
            runs[pos] = i > 0 && keys[idx[i]] == keys[idx[i - 1]] ? runs[pos - 1] : pos;
            pos++;
        }
        int rest = pos;
        for (int t = first; t < n; t++) {
            if (keys[t] < 0) {
                order[pos] = t;
                runs[pos] = rest;
                pos++;
            }
        }
        return new CodingOrder(order, runs, positions);
    }

    /** The coded position anchoring {@code pos} in delta groups of {@code g} (pos itself for an anchor). */
    int anchor(int pos, int chunkStart, int g) {
        int run = Math.max(runStart[pos], chunkStart);
        return run + (pos - run) / g * g;
    }

    /** RoPE distance from token {@code from} to token {@code to}. */
    int delta(int from, int to) {
        long d = positions == null ? (long) to - from : positions[to] - positions[from];
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, d));
    }
}
