package dev.prism.vision.pruning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MustDrop stage A1, local spatial merging (ALGORITHMS.md section 1.1, A1): on the output of ViT layer 0, cut the
 * patch grid into non-overlapping windows (3x3 by default), score each window by the mean pairwise cosine similarity
 * of its tokens (diagonal excluded), merge the top-r windows whose score is at least the threshold (0.8) into their
 * bottom-right token as a size-weighted mean, and reorder to [CLS, merged tokens by descending score, unmerged patches
 * by ascending index]. Token count becomes N - (w*w - 1) * r.
 *
 * <p>The reference hard-codes window 3 and threshold 0.8; both are parameters here with those defaults. Windows are
 * required to tile the grid exactly (the reference reshapes and would fail otherwise) unless {@link #coveringFullWindows}
 * is used: then only the full windows are candidates and the last rows and columns that do not fill one stay unmerged
 * (a Prism adaptation for grids such as SmolVLM's 8x8 projected tiles, not in the reference).
 */
public final class LocalWindowMerger {
    public static final double DEFAULT_THRESHOLD = 0.8;
    public static final int DEFAULT_WINDOW = 3;

    private final int window;
    private final double threshold;
    private final boolean remainder;

    public LocalWindowMerger() {
        this(DEFAULT_WINDOW, DEFAULT_THRESHOLD);
    }

    public LocalWindowMerger(int window, double threshold) {
        PruningInputException.check(window >= 2, "window " + window + " must be >= 2");
        PruningInputException.check(!Double.isNaN(threshold),
                "threshold is NaN: pass a cosine value (above 1 disables merging)");
        this.window = window;
        this.threshold = threshold;
        this.remainder = false;
    }

    private LocalWindowMerger(int window, double threshold, boolean remainder) {
        this.window = window;
        this.threshold = threshold;
        this.remainder = remainder;
    }

    /** This merger, also accepting grids that windows do not tile: the partial windows at the edges stay unmerged. */
    public LocalWindowMerger coveringFullWindows() {
        return new LocalWindowMerger(window, threshold, true);
    }

    /** Mean pairwise cosine similarity of every window, in row-major window order. */
    public double[] windowScores(float[][] patches, int gridH, int gridW) {
        checkGrid(patches, gridH, gridW);
        int wh = gridH / window;
        int ww = gridW / window;
        double[] scores = new double[wh * ww];
        for (int w = 0; w < scores.length; w++) {
            scores[w] = meanPairwiseCosine(patches, windowMembers(w / ww, w % ww, gridW));
        }
        return scores;
    }

    /** Number of windows whose score reaches the threshold. */
    public int mergeCount(double[] scores) {
        int r = 0;
        for (double s : scores) {
            if (s >= threshold) {
                r++;
            }
        }
        return r;
    }

    /** Batched form: r is the minimum count over the batch, as in the reference. */
    public List<MergeResult> mergeBatch(List<float[][]> tokensPerImage, boolean hasCls, int gridH, int gridW) {
        int r = Integer.MAX_VALUE;
        List<double[]> all = new ArrayList<>();
        for (float[][] tokens : tokensPerImage) {
            double[] s = windowScores(patchesOf(tokens, hasCls), gridH, gridW);
            all.add(s);
            r = Math.min(r, mergeCount(s));
        }
        List<MergeResult> out = new ArrayList<>();
        for (int i = 0; i < tokensPerImage.size(); i++) {
            out.add(merge(tokensPerImage.get(i), hasCls, gridH, gridW, all.get(i), r));
        }
        return out;
    }

    /** Merges one image's tokens. {@code tokens} is [CLS?, gridH*gridW patches] x dim. */
    public MergeResult merge(float[][] tokens, boolean hasCls, int gridH, int gridW) {
        double[] scores = windowScores(patchesOf(tokens, hasCls), gridH, gridW);
        return merge(tokens, hasCls, gridH, gridW, scores, mergeCount(scores));
    }

    private MergeResult merge(float[][] tokens, boolean hasCls, int gridH, int gridW, double[] scores, int r) {
        int off = hasCls ? 1 : 0;
        int dim = tokens[0].length;
        int ww = gridW / window;
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // descending score; ties broken by window index so the result is deterministic
        Arrays.sort(order, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Integer.compare(a, b));
        boolean[] merged = new boolean[gridH * gridW];
        List<int[]> groups = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        if (hasCls) {
            groups.add(new int[] {0});
            rows.add(tokens[0]);
        }
        for (int i = 0; i < r; i++) {
            int[] members = windowMembers(order[i] / ww, order[i] % ww, gridW);
            float[] mean = new float[dim];
            int[] group = new int[members.length];
            // destination first: the window's last (bottom-right) token, then the sources in row-major order
            group[0] = members[members.length - 1] + off;
            for (int m = 0; m < members.length - 1; m++) {
                group[m + 1] = members[m] + off;
            }
            double size = 0;
            double[] acc = new double[dim];
            for (int p : members) {
                merged[p] = true;
                size += 1; // every size is 1 before merging (A1.5)
                float[] x = tokens[p + off];
                for (int d = 0; d < dim; d++) {
                    acc[d] += x[d];
                }
            }
            for (int d = 0; d < dim; d++) {
                mean[d] = (float) (acc[d] / size);
            }
            groups.add(group);
            rows.add(mean);
        }
        for (int p = 0; p < gridH * gridW; p++) {
            if (!merged[p]) {
                groups.add(new int[] {p + off});
                rows.add(tokens[p + off]);
            }
        }
        return new MergeResult(rows.toArray(new float[0][]), groups.toArray(new int[0][]), r, hasCls);
    }

    private int[] windowMembers(int wr, int wc, int gridW) {
        int[] m = new int[window * window];
        int k = 0;
        for (int dr = 0; dr < window; dr++) {
            for (int dc = 0; dc < window; dc++) {
                m[k++] = (wr * window + dr) * gridW + wc * window + dc;
            }
        }
        return m;
    }

    private static double meanPairwiseCosine(float[][] x, int[] members) {
        int n = members.length;
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (float v : x[members[i]]) {
                s += (double) v * v;
            }
            norms[i] = Math.sqrt(s);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (norms[i] == 0 || norms[j] == 0) {
                    continue; // a zero vector has no direction: counts as cosine 0
                }
                float[] a = x[members[i]];
                float[] b = x[members[j]];
                double dot = 0;
                for (int d = 0; d < a.length; d++) {
                    dot += (double) a[d] * b[d];
                }
                sum += 2 * dot / (norms[i] * norms[j]); // the matrix is symmetric: each pair appears twice
            }
        }
        return sum / (n * (n - 1));
    }

    private float[][] patchesOf(float[][] tokens, boolean hasCls) {
        PruningInputException.checkMatrix(tokens, "tokens");
        return hasCls ? Arrays.copyOfRange(tokens, 1, tokens.length) : tokens;
    }

    private void checkGrid(float[][] patches, int gridH, int gridW) {
        PruningInputException.checkMatrix(patches, "patches");
        PruningInputException.check(gridH > 0 && gridW > 0 && (remainder || gridH % window == 0 && gridW % window == 0),
                "grid " + gridH + "x" + gridW + " is not tiled by " + window + "x" + window
                        + " windows: use a grid whose sides are multiples of the window");
        PruningInputException.check(patches.length == gridH * gridW, "got " + patches.length + " patch tokens for a "
                + gridH + "x" + gridW + " grid: pass exactly gridH*gridW patches (CLS flagged separately)");
    }
}
