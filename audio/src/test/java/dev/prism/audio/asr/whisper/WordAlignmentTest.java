package dev.prism.audio.asr.whisper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** DTW, the median filter, word splitting and timings on crafted inputs. */
class WordAlignmentTest {
    static final int EOT = 100;
    static final Map<Long, String> PIECES = Map.of(1L, " the", 2L, " cat", 3L, "s", 4L, ".", 5L, " sat", 6L, " \"",
            7L, " on", (long) EOT, "<|endoftext|>");
    static final Function<long[], String> DECODE = ids -> java.util.Arrays.stream(ids).mapToObj(PIECES::get)
            .reduce("", String::concat);

    @Test
    void dtwOnADiagonalCostMatrixFollowsTheDiagonal() {
        int n = 6;
        float[][] cost = new float[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cost[i][j] = i == j ? 0f : 1f;
            }
        }
        int[][] path = WordAlignment.dtw(cost);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, path[0]);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, path[1]);
    }

    @Test
    void dtwPathIsMonotonicAndSpansTheMatrix() {
        // 3 tokens over 9 frames, token k cheap on frames 3k..3k+2
        float[][] cost = new float[3][9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 9; j++) {
                cost[i][j] = j / 3 == i ? -1f : 1f;
            }
        }
        int[][] p = WordAlignment.dtw(cost);
        assertEquals(0, p[0][0]);
        assertEquals(0, p[1][0]);
        assertEquals(2, p[0][p[0].length - 1]);
        assertEquals(8, p[1][p[1].length - 1]);
        for (int k = 1; k < p[0].length; k++) {
            assertTrue(p[0][k] >= p[0][k - 1] && p[1][k] >= p[1][k - 1]);
        }
        for (int k = 0; k < p[0].length; k++) {
            if (p[0][k] == 1) {
                assertTrue(p[1][k] >= 2 && p[1][k] <= 5, "token 1 sits on its frames");
            }
        }
    }

    @Test
    void medianFilterRemovesSpikesWithReflectPadding() {
        double[] x = {0, 0, 0, 9, 0, 0, 0, 0};
        assertArrayEquals(new double[8], WordAlignment.medianFilter(x, 7), 0);
        double[] y = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] f = WordAlignment.medianFilter(y, 3);
        assertEquals(2, f[0], 0, "reflect: [2, 1, 2] -> 2");
        assertEquals(5, f[4], 0);
        assertArrayEquals(new double[] {1, 2}, WordAlignment.medianFilter(new double[] {1, 2}, 7), 0, "too short: unchanged");
    }

    @Test
    void wordsSplitAtLeadingSpacesAndPunctuationJoinsItsWord() {
        List<WordSplitter.Piece> p = WordSplitter.split(new long[] {1, 2, 3, 4, EOT}, DECODE, EOT);
        assertEquals(List.of(" the", " cats", ".", "<|endoftext|>"), p.stream().map(WordSplitter.Piece::text).toList());
        assertArrayEquals(new long[] {2, 3}, p.get(1).tokens());
    }

    @Test
    void aCharacterSplitAcrossByteTokensStaysInOneWord() {
        // tokens 20 and 21 are the two bytes of " é": alone each decodes to a replacement character
        Function<long[], String> dec = ids -> java.util.Arrays.equals(ids, new long[] {20, 21}) ? " \u00e9"
                : ids.length == 1 && (ids[0] == 20 || ids[0] == 21) ? "\uFFFD" : DECODE.apply(ids);
        List<WordSplitter.Piece> p = WordSplitter.split(new long[] {1, 20, 21, 3, EOT}, dec, EOT);
        assertEquals(List.of(" the", " \u00e9s", "<|endoftext|>"), p.stream().map(WordSplitter.Piece::text).toList());
        assertArrayEquals(new long[] {20, 21, 3}, p.get(1).tokens());
    }

    @Test
    void timingsFollowTheDiagonalAndPunctuationMerges() {
        long[] text = {1, 2, 3, 4, 5};
        // rows: before-first-token + one per text token = 6; token k is bright on frames 5k..5k+4
        float[][] m = new float[6][30];
        for (int r = 0; r < 6; r++) {
            for (int c = 0; c < 30; c++) {
                m[r][c] = c / 5 == r ? 1f : -1f;
            }
        }
        double[] probs = {0.9, 0.8, 0.6, 0.5, 0.7};
        List<WordAlignment.WordTiming> w = WordAlignment.tidy(WordAlignment.timings(m, text, probs, DECODE, EOT));
        assertEquals(List.of(" the", " cats.", "", " sat"), w.stream().map(WordAlignment.WordTiming::word).toList());
        assertEquals(0.0, w.get(0).start(), 1e-9);
        assertEquals(0.1, w.get(1).start(), 1e-9, "frame 5 = 0.1 s");
        assertEquals(0.3, w.get(1).end(), 1e-9, "ends where the next word starts (frame 15)");
        assertEquals(0.7, w.get(1).probability(), 1e-9, "mean of its tokens' probabilities");
        for (int i = 1; i < w.size(); i++) {
            assertTrue(w.get(i).start() >= w.get(i - 1).start());
        }
        List<WordAlignment.WordTiming> q = WordAlignment.tidy(WordAlignment.timings(m, new long[] {1, 6, 2, 7, 5}, probs, DECODE, EOT));
        assertEquals(" \" cat", q.get(2).word(), "an opening quote joins the next word");
    }
}
