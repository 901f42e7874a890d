package dev.prism.llm.pruning;

/**
 * MustDrop stage B's text-guided dual-attention filter (ALGORITHMS.md 1.2, steps 1-4). From the softmax attention of
 * the text query rows to the vision keys, averaged over heads into A[t][j]: global score g_j = sum_t A[t][j], individual
 * score m_j = max_t A[t][j]. Vision token j is dropped iff g_j < globalThr * sum_k g_k AND m_j < individualThr; the
 * survivors are united with the key set and sorted ascending.
 */
public final class DualAttentionFilter {
    private final double globalThr;
    private final double individualThr;

    public DualAttentionFilter(double globalThr, double individualThr) {
        PruningInputException.check(!Double.isNaN(globalThr) && !Double.isNaN(individualThr), "thresholds are NaN");
        this.globalThr = globalThr;
        this.individualThr = individualThr;
    }

    public DualAttentionFilter(MustDropThresholds t) {
        this(t.global, t.individual);
    }

    /**
     * @param textRows per head, the text query rows of the layer's attention over the current sequence: [H][Tq][L]
     * @param layout   the current sequence layout; L must equal its length and Tq its text part
     * @param keySet   ascending vision-relative indices that must survive
     * @return ascending vision-relative indices of the survivors
     */
    public int[] survivors(float[][][] textRows, SequenceLayout layout, int[] keySet) {
        PruningInputException.check(textRows != null && textRows.length > 0, "textRows is empty: pass [heads][Tq][L]");
        int v = layout.vision();
        int tq = layout.text();
        double[] g = new double[v];
        double[] m = new double[v];
        for (int h = 0; h < textRows.length; h++) {
            PruningInputException.check(textRows[h].length == tq, "textRows[" + h + "] has " + textRows[h].length
                    + " query rows but the layout has " + tq + " text tokens");
            for (int t = 0; t < tq; t++) {
                if (textRows[h][t].length != layout.length()) {
                    throw new PruningInputException("textRows[" + h + "][" + t + "] has " + textRows[h][t].length
                            + " keys but the sequence holds " + layout.length());
                }
            }
        }
        for (int t = 0; t < tq; t++) {
            for (int j = 0; j < v; j++) {
                double a = 0;
                for (int h = 0; h < textRows.length; h++) {
                    a += textRows[h][t][layout.visionStart() + j];
                }
                a /= textRows.length;
                g[j] += a;
                m[j] = t == 0 ? a : Math.max(m[j], a);
            }
        }
        double total = 0;
        for (double x : g) {
            total += x;
        }
        boolean[] keep = new boolean[v];
        for (int j = 0; j < v; j++) {
            keep[j] = !(g[j] < globalThr * total && m[j] < individualThr);
        }
        for (int k : keySet) {
            PruningInputException.check(k >= 0 && k < v, "key index " + k + " outside the " + v + " vision tokens");
            keep[k] = true;
        }
        int n = 0;
        for (boolean b : keep) {
            n += b ? 1 : 0;
        }
        int[] out = new int[n];
        for (int j = 0, o = 0; j < v; j++) {
            if (keep[j]) {
                out[o++] = j;
            }
        }
        return out;
    }
}
