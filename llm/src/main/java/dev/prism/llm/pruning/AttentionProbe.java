package dev.prism.llm.pruning;

/**
 * Exact attention summaries recomputed from post-RoPE queries and keys, for runtimes whose fused attention does not
 * return probabilities (ALGORITHMS.md 1.4, 2.4, 3.6): softmax(q . K^T / sqrt(d) + causal mask) one query row at a
 * time, so column sums over a long prefill never hold an L x L matrix. Keys are per KV head and may be ragged;
 * query head h reads KV head h / (queryHeads / kvHeads).
 */
public final class AttentionProbe {
    private AttentionProbe() {
    }

    /**
     * Softmax probabilities of selected query rows.
     *
     * @param queries   [queryHeads][rows][headDim] post-RoPE queries of the rows to probe
     * @param keys      [kvHeads][entries][headDim] post-RoPE keys
     * @param visible   per row, how many leading entries it may attend to (causal mask); entries beyond get 0
     * @return [queryHeads][rows][entries of that head's KV lane]
     */
    public static float[][][] rows(float[][][] queries, float[][][] keys, int[] visible) {
        int group = groupSize(queries.length, keys.length);
        float[][][] out = new float[queries.length][][];
        for (int h = 0; h < queries.length; h++) {
            float[][] k = keys[h / group];
            PruningInputException.check(queries[h].length == visible.length, "query head " + h + " has "
                    + queries[h].length + " rows but " + visible.length + " visibility limits were given");
            out[h] = new float[queries[h].length][];
            for (int r = 0; r < queries[h].length; r++) {
                out[h][r] = softmaxRow(queries[h][r], k, Math.min(visible[r], k.length));
            }
        }
        return out;
    }

    /**
     * Column sums over every query row of a causal prefill into an empty cache: result[h][j] = sum over i >= j of
     * p_h(i, j), where query row i sees entries 0..i. Memory is one row at a time.
     *
     * @param queries [queryHeads][L][headDim]
     * @param keys    [kvHeads][L][headDim]
     */
    public static float[][] causalColumnSums(float[][][] queries, float[][][] keys) {
        int group = groupSize(queries.length, keys.length);
        float[][] out = new float[queries.length][];
        for (int h = 0; h < queries.length; h++) {
            float[][] k = keys[h / group];
            double[] acc = new double[k.length];
            for (int i = 0; i < queries[h].length; i++) {
                float[] p = softmaxRow(queries[h][i], k, Math.min(i + 1, k.length));
                for (int j = 0; j <= i && j < k.length; j++) {
                    acc[j] += p[j];
                }
            }
            out[h] = new float[k.length];
            for (int j = 0; j < k.length; j++) {
                out[h][j] = (float) acc[j];
            }
        }
        return out;
    }

    /** One query row against all of a lane's keys. */
    public static float[] softmaxRow(float[] q, float[][] k, int visible) {
        float[] p = new float[k.length];
        if (visible <= 0) {
            return p;
        }
        double scale = 1 / Math.sqrt(q.length);
        double[] z = new double[visible];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < visible; j++) {
            if (k[j].length != q.length) {
                throw new PruningInputException("key " + j + " has dimension " + k[j].length + ", the query "
                        + q.length);
            }
            double dot = 0;
            for (int d = 0; d < q.length; d++) {
                dot += (double) q[d] * k[j][d];
            }
            z[j] = dot * scale;
            max = Math.max(max, z[j]);
        }
        double sum = 0;
        for (int j = 0; j < visible; j++) {
            z[j] = Math.exp(z[j] - max);
            sum += z[j];
        }
        for (int j = 0; j < visible; j++) {
            p[j] = (float) (z[j] / sum);
        }
        return p;
    }

    private static int groupSize(int queryHeads, int kvHeads) {
        PruningInputException.check(queryHeads > 0 && kvHeads > 0 && queryHeads % kvHeads == 0, queryHeads
                + " query heads cannot share " + kvHeads + " KV heads evenly");
        return queryHeads / kvHeads;
    }
}
