package dev.prism.audio.asr.whisper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Word times from cross-attention (openai/whisper timing.py find_alignment): the alignment heads' scores over
 * the frames that hold audio are softmaxed per token, standardised per frame across tokens, median filtered
 * along time (width 7), averaged over heads; dynamic time warping over (tokens x frames) of the negated matrix
 * gives a monotonic path, and each word starts where the path first reaches its first token. Pure functions;
 * the decoder pass that produces the scores is the recognizer's.
 */
public final class WordAlignment {
    /** Encoder positions per second (20 ms each). */
    public static final double TOKENS_PER_SECOND = 50;
    public static final int MEDIAN_WIDTH = 7;
    private static final String PREPEND = "\"'“¿([{-";
    private static final String APPEND = "\"'.。,，!！?？:：”)]}、";

    private WordAlignment() {
    }

    /** A word with its tokens, times in seconds from the window start, and mean token probability. */
    public record WordTiming(String word, long[] tokens, double start, double end, double probability) {
        WordTiming with(String w, long[] t, double s, double e) {
            return new WordTiming(w, t, s, e, probability);
        }
    }

    /**
     * The alignment matrix [rows][columns]: for each alignment head (layer, head) the scores qk[layer] laid
     * [heads, rows, frames] restricted to the first {@code columns} frames, softmax over them, standardised over
     * rows (population std), median filtered, then averaged over the heads.
     */
    public static float[][] matrix(List<float[]> qk, int heads, int rows, int frames, int[][] alignmentHeads, int columns) {
        double[][] acc = new double[rows][columns];
        for (int[] lh : alignmentHeads) {
            float[] s = qk.get(lh[0]);
            double[][] w = new double[rows][columns];
            for (int r = 0; r < rows; r++) {
                int base = (lh[1] * rows + r) * frames;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < columns; c++) {
                    max = Math.max(max, s[base + c]);
                }
                double sum = 0;
                for (int c = 0; c < columns; c++) {
                    w[r][c] = Math.exp(s[base + c] - max);
                    sum += w[r][c];
                }
                for (int c = 0; c < columns; c++) {
                    w[r][c] /= sum;
                }
            }
            for (int c = 0; c < columns; c++) {
                double mean = 0;
                for (int r = 0; r < rows; r++) {
                    mean += w[r][c];
                }
                mean /= rows;
                double var = 0;
                for (int r = 0; r < rows; r++) {
                    var += (w[r][c] - mean) * (w[r][c] - mean);
                }
                double std = Math.sqrt(var / rows);
                for (int r = 0; r < rows; r++) {
                    // a constant column carries no timing information; Whisper would divide by zero here
                    w[r][c] = std > 0 ? (w[r][c] - mean) / std : 0;
                }
            }
            for (int r = 0; r < rows; r++) {
                double[] f = medianFilter(w[r], MEDIAN_WIDTH);
                for (int c = 0; c < columns; c++) {
                    acc[r][c] += f[c] / alignmentHeads.length;
                }
            }
        }
        float[][] out = new float[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                out[r][c] = (float) acc[r][c];
            }
        }
        return out;
    }

    /** Median over a sliding window with reflect padding; unchanged when shorter than half the width. */
    public static double[] medianFilter(double[] x, int width) {
        int pad = width / 2;
        if (x.length <= pad) {
            return x.clone();
        }
        double[] out = new double[x.length];
        double[] win = new double[width];
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < width; k++) {
                int j = i + k - pad;
                if (j < 0) {
                    j = -j;
                } else if (j >= x.length) {
                    j = 2 * (x.length - 1) - j;
                }
                win[k] = x[j];
            }
            Arrays.sort(win);
            out[i] = win[pad];
        }
        return out;
    }

    /**
     * Dynamic time warping over a cost matrix [n][m] (Whisper's dtw_cpu: diagonal, then down, then right on
     * ties go right); returns {text indices, time indices} of the path from (0,0) to (n-1,m-1).
     */
    public static int[][] dtw(float[][] cost) {
        int n = cost.length;
        int m = cost[0].length;
        double[][] c = new double[n + 1][m + 1];
        byte[][] trace = new byte[n + 1][m + 1];
        for (double[] row : c) {
            Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        c[0][0] = 0;
        for (int j = 1; j <= m; j++) {
            for (int i = 1; i <= n; i++) {
                double c0 = c[i - 1][j - 1];
                double c1 = c[i - 1][j];
                double c2 = c[i][j - 1];
                double best;
                byte t;
                if (c0 < c1 && c0 < c2) {
                    best = c0;
                    t = 0;
                } else if (c1 < c0 && c1 < c2) {
                    best = c1;
                    t = 1;
                } else {
                    best = c2;
                    t = 2;
                }
                c[i][j] = cost[i - 1][j - 1] + best;
                trace[i][j] = t;
            }
        }
        for (int j = 0; j <= m; j++) {
            trace[0][j] = 2;
        }
        for (int i = 0; i <= n; i++) {
            trace[i][0] = 1;
        }
        List<int[]> path = new ArrayList<>();
        int i = n;
        int j = m;
        while (i > 0 || j > 0) {
            path.add(new int[] {i - 1, j - 1});
            switch (trace[i][j]) {
                case 0 -> {
                    i--;
                    j--;
                }
                case 1 -> i--;
                default -> j--;
            }
        }
        int[][] out = new int[2][path.size()];
        for (int k = 0; k < path.size(); k++) {
            int[] p = path.get(path.size() - 1 - k);
            out[0][k] = p[0];
            out[1][k] = p[1];
        }
        return out;
    }

    /**
     * Word timings from the alignment matrix, whose row 0 is the position before the first text token and
     * whose rows 1..n follow each text token (Whisper's matrix[len(sot_sequence):-1]); probs are the text
     * tokens' probabilities. Times are seconds from the window start.
     */
    public static List<WordTiming> timings(float[][] matrix, long[] textTokens, double[] probs, Function<long[], String> decode,
                                           int eot) {
        List<WordSplitter.Piece> pieces = WordSplitter.split(append(textTokens, eot), decode, eot);
        if (pieces.size() <= 1) {
            return List.of();
        }
        float[][] cost = new float[matrix.length][];
        for (int r = 0; r < matrix.length; r++) {
            cost[r] = new float[matrix[r].length];
            for (int c = 0; c < cost[r].length; c++) {
                cost[r][c] = -matrix[r][c];
            }
        }
        int[][] path = dtw(cost);
        List<Double> jumpTimes = new ArrayList<>();
        for (int k = 0; k < path[0].length; k++) {
            if (k == 0 || path[0][k] != path[0][k - 1]) {
                jumpTimes.add(path[1][k] / TOKENS_PER_SECOND);
            }
        }
        List<WordTiming> out = new ArrayList<>();
        int boundary = 0;
        for (int w = 0; w < pieces.size() - 1; w++) {
            int len = pieces.get(w).tokens().length;
            double p = 0;
            for (int k = boundary; k < boundary + len; k++) {
                p += probs[k];
            }
            out.add(new WordTiming(pieces.get(w).text(), pieces.get(w).tokens(), jumpTimes.get(boundary),
                    jumpTimes.get(boundary + len), p / len));
            boundary += len;
        }
        return out;
    }

    private static long[] append(long[] a, long x) {
        long[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = x;
        return out;
    }

    /**
     * Whisper's duration hacks and punctuation merge: words longer than twice the median word duration (at
     * most 0.7 s) are cut at sentence ends; opening punctuation joins the next word and closing punctuation the
     * previous one (their times are those of the word they join).
     */
    public static List<WordTiming> tidy(List<WordTiming> in) {
        List<WordTiming> words = new ArrayList<>(in);
        double[] durations = words.stream().mapToDouble(w -> w.end() - w.start()).filter(d -> d > 0).sorted().toArray();
        double median = durations.length == 0 ? 0 : durations.length % 2 == 1 ? durations[durations.length / 2]
                : (durations[durations.length / 2 - 1] + durations[durations.length / 2]) / 2;
        double max = Math.min(0.7, median) * 2;
        if (durations.length > 0) {
            String ends = ".。!！?？";
            for (int i = 1; i < words.size(); i++) {
                WordTiming w = words.get(i);
                if (w.end() - w.start() > max) {
                    if (ends.contains(w.word()) && !w.word().isEmpty()) {
                        words.set(i, w.with(w.word(), w.tokens(), w.start(), w.start() + max));
                    } else if (!words.get(i - 1).word().isEmpty() && ends.contains(words.get(i - 1).word())) {
                        words.set(i, w.with(w.word(), w.tokens(), w.end() - max, w.end()));
                    }
                }
            }
        }
        // opening punctuation joins the word after it (scanning backwards, so runs of it collect)
        for (int i = words.size() - 2, j = words.size() - 1; i >= 0; i--) {
            WordTiming prev = words.get(i);
            WordTiming next = words.get(j);
            if (prev.word().startsWith(" ") && PREPEND.contains(prev.word().strip())) {
                words.set(j, next.with(prev.word() + next.word(), concat(prev.tokens(), next.tokens()), next.start(), next.end()));
                words.set(i, prev.with("", new long[0], prev.start(), prev.end()));
            } else {
                j = i;
            }
        }
        // closing punctuation joins the word before it
        for (int i = 0, j = 1; j < words.size(); j++) {
            WordTiming prev = words.get(i);
            WordTiming next = words.get(j);
            if (!prev.word().endsWith(" ") && APPEND.contains(next.word())) {
                words.set(i, prev.with(prev.word() + next.word(), concat(prev.tokens(), next.tokens()), prev.start(), prev.end()));
                words.set(j, next.with("", new long[0], next.start(), next.end()));
            } else {
                i = j;
            }
        }
        return words;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
