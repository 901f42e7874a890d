package dev.prism.llm.pruning;

import java.util.Random;

/** Generated test inputs: softmax attention rows, attention summaries and caches whose rows encode token ids. */
final class Synthetic {
    private Synthetic() {
    }

    /** Softmax of gaussian logits (scaled by {@code sharpness}) over the first {@code visible} of {@code length} keys. */
    static float[] softmaxRow(Random rnd, int length, int visible, double sharpness) {
        double[] z = new double[visible];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < visible; j++) {
            z[j] = rnd.nextGaussian() * sharpness;
            max = Math.max(max, z[j]);
        }
        double sum = 0;
        for (int j = 0; j < visible; j++) {
            z[j] = Math.exp(z[j] - max);
            sum += z[j];
        }
        float[] row = new float[length];
        for (int j = 0; j < visible; j++) {
            row[j] = (float) (z[j] / sum);
        }
        return row;
    }

    /** Text query rows [H][Tq][L] of a causal layer for the given layout. */
    static float[][][] textRows(long seed, int heads, SequenceLayout layout, double sharpness) {
        Random rnd = new Random(seed);
        float[][][] a = new float[heads][layout.text()][];
        for (int h = 0; h < heads; h++) {
            for (int t = 0; t < layout.text(); t++) {
                a[h][t] = softmaxRow(rnd, layout.length(), layout.visionEnd() + t + 1, sharpness);
            }
        }
        return a;
    }

    /** Attention that depends only on the layout: deterministic random rows per (layer, query head, call). */
    static StepAttention attention(CacheLayout layout, int queryHeads, long seed) {
        int group = queryHeads / layout.kvHeads();
        return new StepAttention() {
            @Override
            public float[][] columnSums(int layer) {
                Random rnd = new Random(seed * 1000 + layer);
                float[][] out = new float[queryHeads][];
                for (int q = 0; q < queryHeads; q++) {
                    int n = layout.length(layer, q / group);
                    out[q] = new float[n];
                    for (int e = 0; e < n; e++) {
                        out[q][e] = (float) (rnd.nextDouble() * 3);
                    }
                }
                return out;
            }

            @Override
            public float[][] lastRow(int layer) {
                Random rnd = new Random(seed * 7919 + layer);
                float[][] out = new float[queryHeads][];
                for (int q = 0; q < queryHeads; q++) {
                    int n = layout.length(layer, q / group);
                    out[q] = softmaxRow(rnd, n, n, 2.0);
                }
                return out;
            }
        };
    }

    /** A cache [layer][kvHead][entries][dim] whose row for token id t in layer l, head h is (t, l, h, noise...). */
    static float[][][][] cache(CacheLayout layout, int dim, long seed) {
        Random rnd = new Random(seed);
        float[][][][] c = new float[layout.layers()][layout.kvHeads()][][];
        for (int l = 0; l < c.length; l++) {
            for (int h = 0; h < c[l].length; h++) {
                int[] ids = layout.ids(l, h);
                c[l][h] = new float[ids.length][dim];
                for (int e = 0; e < ids.length; e++) {
                    c[l][h][e][0] = ids[e];
                    c[l][h][e][1] = l;
                    c[l][h][e][2] = h;
                    for (int d = 3; d < dim; d++) {
                        c[l][h][e][d] = (float) rnd.nextGaussian();
                    }
                }
            }
        }
        return c;
    }

    static boolean strictlyIncreasing(int[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] <= a[i - 1]) {
                return false;
            }
        }
        return true;
    }
}
