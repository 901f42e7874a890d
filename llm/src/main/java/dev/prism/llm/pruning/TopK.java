package dev.prism.llm.pruning;

import java.util.Arrays;

/** Deterministic top-k: highest scores first, ties to the lower index; returned indices are sorted ascending. */
final class TopK {
    private TopK() {
    }

    static int[] ascending(double[] scores, int k) {
        int n = scores.length;
        k = Math.max(0, Math.min(k, n));
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Integer.compare(a, b));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = idx[i];
        }
        Arrays.sort(out);
        return out;
    }

    /** Indices sorted by ascending score, ties to the lower index (a stable argsort). */
    static int[] argsort(double[] scores) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(scores[a], scores[b]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }
}
