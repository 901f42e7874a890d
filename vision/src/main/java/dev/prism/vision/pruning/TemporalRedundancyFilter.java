package dev.prism.vision.pruning;

import java.util.ArrayList;
import java.util.List;

/**
 * Temporal redundancy across the frames of a segment (issue 7, item 1; no ALGORITHMS.md section, a Prism design):
 * every token of the first frame is kept; a token at position p of a later frame is dropped when its cosine similarity
 * to the same position's most recently <em>kept</em> version is at least the threshold. Comparing against the last kept
 * version (not the immediately previous frame) stops slow drift from being dropped forever. The threshold is a
 * parameter (default 0.95, unverified: calibrate on real footage).
 */
public final class TemporalRedundancyFilter {
    public static final double DEFAULT_THRESHOLD = 0.95;

    private final double threshold;

    public TemporalRedundancyFilter(double threshold) {
        PruningInputException.check(!Double.isNaN(threshold), "threshold is NaN: pass a cosine similarity");
        this.threshold = threshold;
    }

    /** Per-frame kept token indices and the flat index map into the concatenated [frames * tokens] sequence. */
    public record Result(int[][] keptPerFrame, int[] indexMap, int tokensPerFrame) {
        public int keptCount() {
            return indexMap.length;
        }
    }

    public Result filter(List<float[][]> frames) {
        PruningInputException.check(frames != null && !frames.isEmpty(), "frames is empty: pass at least one frame");
        int n = frames.get(0).length;
        int dim = PruningInputException.checkMatrix(frames.get(0), "frames[0]");
        float[][] reference = frames.get(0).clone();
        int[][] kept = new int[frames.size()][];
        List<Integer> map = new ArrayList<>();
        for (int f = 0; f < frames.size(); f++) {
            float[][] frame = frames.get(f);
            int d = PruningInputException.checkMatrix(frame, "frames[" + f + "]");
            PruningInputException.check(frame.length == n && d == dim, "frames[" + f + "] is " + frame.length + "x" + d
                    + " but frames[0] is " + n + "x" + dim + ": all frames of a segment need the same token grid");
            List<Integer> k = new ArrayList<>();
            for (int p = 0; p < n; p++) {
                if (f == 0 || cosine(frame[p], reference[p]) < threshold) {
                    k.add(p);
                    reference[p] = frame[p];
                    map.add(f * n + p);
                }
            }
            kept[f] = k.stream().mapToInt(Integer::intValue).toArray();
        }
        return new Result(kept, map.stream().mapToInt(Integer::intValue).toArray(), n);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 && nb == 0) {
            return 1; // two blank patches are the same patch
        }
        if (na == 0 || nb == 0) {
            return 0;
        }
        return dot / Math.sqrt(na * nb);
    }
}
