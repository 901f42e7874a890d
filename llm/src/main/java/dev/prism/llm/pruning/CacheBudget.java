package dev.prism.llm.pruning;

/** The eviction budget shared by Elastic Cache, H2O and Local (ALGORITHMS.md 3.3). */
final class CacheBudget {
    private CacheBudget() {
    }

    /** forget = trunc(seqLen - tokensSeen * (1 - ratio)), computed in doubles as the Python reference does. */
    static int forget(int seqLen, int tokensSeen, double ratio) {
        return (int) (seqLen - tokensSeen * (1 - ratio));
    }

    static void checkRatio(double ratio) {
        PruningInputException.check(ratio >= 0 && ratio < 1, "eviction ratio " + ratio + " must be in [0, 1)");
    }

    /**
     * Head-mean attention per token id for one lane (or for the whole layer when all lanes agree): the mean over the
     * query heads reading that lane of the given per-entry values, added into {@code scores} at each entry's token id.
     */
    static double[] accumulate(double[] scores, CacheLayout layout, int layer, int lane, float[][] perQueryHead,
            boolean allHeads) {
        int kvHeads = layout.kvHeads();
        int group = perQueryHead.length / kvHeads;
        PruningInputException.check(group >= 1 && perQueryHead.length % kvHeads == 0, "layer " + layer + " has "
                + perQueryHead.length + " query heads, not a multiple of its " + kvHeads + " KV heads");
        int[] ids = layout.ids(layer, lane);
        int maxId = 0;
        for (int id : ids) {
            maxId = Math.max(maxId, id);
        }
        if (scores == null || scores.length <= maxId) {
            scores = java.util.Arrays.copyOf(scores == null ? new double[0] : scores, Math.max(maxId + 1, 16));
        }
        int from = allHeads ? 0 : lane * group;
        int to = allHeads ? perQueryHead.length : from + group;
        for (int q = from; q < to; q++) {
            if (perQueryHead[q].length != ids.length) {
                throw new PruningInputException("layer " + layer + " query head " + q + " has "
                        + perQueryHead[q].length + " keys, its KV head holds " + ids.length);
            }
        }
        for (int e = 0; e < ids.length; e++) {
            double s = 0;
            for (int q = from; q < to; q++) {
                s += perQueryHead[q][e];
            }
            scores[ids[e]] += s / (to - from);
        }
        return scores;
    }

    static double score(double[] scores, int id) {
        return scores == null || id >= scores.length ? 0 : scores[id];
    }

    /** Keep everything except entries [from, from + count). */
    static int[] keepAllBut(int length, int from, int count) {
        int[] keep = new int[length - count];
        for (int i = 0, o = 0; i < length; i++) {
            if (i < from || i >= from + count) {
                keep[o++] = i;
            }
        }
        return keep;
    }
}
