package dev.prism.vision.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MustDropStageATest {
    static final int GRID = 24;
    static final int DIM = 32;

    /** CLS + 24x24 patches; windows listed in {@code smooth} get 9 near-identical tokens (cosine ~ 1). */
    static float[][] image(long seed, Set<Integer> smooth) {
        Random rnd = new Random(seed);
        float[][] t = new float[1 + GRID * GRID][DIM];
        for (float[] row : t) {
            for (int d = 0; d < DIM; d++) {
                row[d] = (float) rnd.nextGaussian();
            }
        }
        for (int w : smooth) {
            float[] base = t[1 + (w / 8) * 3 * GRID + (w % 8) * 3];
            for (int dr = 0; dr < 3; dr++) {
                for (int dc = 0; dc < 3; dc++) {
                    float[] row = t[1 + ((w / 8) * 3 + dr) * GRID + (w % 8) * 3 + dc];
                    for (int d = 0; d < DIM; d++) {
                        row[d] = base[d] + 0.01f * (float) rnd.nextGaussian() * (dr + dc + 1);
                    }
                }
            }
        }
        return t;
    }

    @Test
    void mergeCountFollowsTheFormulaAndOrderIsClsMergedByScoreThenAscending() {
        Set<Integer> smooth = new TreeSet<>(List.of(0, 5, 17, 40, 63));
        float[][] tokens = image(1, smooth);
        LocalWindowMerger merger = new LocalWindowMerger();
        MergeResult r = merger.merge(tokens, true, GRID, GRID);
        assertEquals(5, r.mergedWindows());
        assertEquals(577 - 8 * 5, r.tokens().length);
        assertArrayEquals(new int[] {0}, r.groups()[0]);
        assertSame(tokens[0], r.tokens()[0]);
        double[] scores = merger.windowScores(Arrays.copyOfRange(tokens, 1, tokens.length), GRID, GRID);
        for (int i = 1; i <= 5; i++) {
            int[] g = r.groups()[i];
            assertEquals(9, g.length);
            int w = ((g[0] - 1) / GRID / 3) * 8 + ((g[0] - 1) % GRID) / 3;
            assertTrue(smooth.contains(w));
            // destination is the bottom-right patch of its window
            assertEquals(((w / 8) * 3 + 2) * GRID + (w % 8) * 3 + 2 + 1, g[0]);
            if (i > 1) {
                int prev = ((r.groups()[i - 1][0] - 1) / GRID / 3) * 8 + ((r.groups()[i - 1][0] - 1) % GRID) / 3;
                assertTrue(scores[prev] >= scores[w], "merged tokens are in descending window score");
            }
            for (int d = 0; d < DIM; d++) {
                double mean = 0;
                for (int m : g) {
                    mean += tokens[m][d];
                }
                assertEquals(mean / 9, r.tokens()[i][d], 1e-5);
            }
        }
        int[] rest = Arrays.stream(r.groups(), 6, r.groups().length).mapToInt(g -> g[0]).toArray();
        for (int i = 1; i < rest.length; i++) {
            assertTrue(rest[i] > rest[i - 1], "unmerged patches keep ascending original order");
        }
        for (int[] g : Arrays.copyOfRange(r.groups(), 6, r.groups().length)) {
            assertEquals(1, g.length);
            assertSame(tokens[g[0]], r.tokens()[Arrays.asList(r.groups()).indexOf(g)]);
        }
    }

    @Test
    void randomTokensScoreNearZeroAndThresholdAboveOneMergesNothing() {
        float[][] tokens = image(2, Set.of(3, 9));
        double[] s = new LocalWindowMerger().windowScores(Arrays.copyOfRange(tokens, 1, tokens.length), GRID, GRID);
        assertTrue(s[3] > 0.99 && s[9] > 0.99);
        assertTrue(Math.abs(s[4]) < 0.2, "independent gaussian tokens have mean cosine near 0, got " + s[4]);
        MergeResult none = new LocalWindowMerger(3, 1.01).merge(tokens, true, GRID, GRID);
        assertEquals(0, none.mergedWindows());
        assertEquals(tokens.length, none.tokens().length);
        for (int i = 0; i < tokens.length; i++) {
            assertSame(tokens[i], none.tokens()[i], "nothing merged: bit-identical token rows");
            assertEquals(i, none.indexMap()[i]);
        }
    }

    @Test
    void batchUsesTheMinimumMergeCount() {
        List<MergeResult> out = new LocalWindowMerger().mergeBatch(
                List.of(image(3, Set.of(1, 2, 3)), image(4, Set.of(7))), true, GRID, GRID);
        assertEquals(1, out.get(0).mergedWindows());
        assertEquals(1, out.get(1).mergedWindows());
        assertEquals(577 - 8, out.get(0).tokens().length);
    }

    @Test
    void keySetIsTopEightPercentOfPostMergePatchesByHeadMeanClsAttention() {
        KeyTokenSelector sel = new KeyTokenSelector();
        assertEquals(47, sel.keyCount(576));
        assertEquals((int) Math.ceil(0.08 * (576 - 8 * 5)), sel.keyCount(576 - 40));
        Random rnd = new Random(5);
        int n = 576 - 40;
        float[][] attn = new float[16][n];
        for (float[] h : attn) {
            for (int j = 0; j < n; j++) {
                h[j] = rnd.nextFloat();
            }
        }
        int[] keys = sel.select(attn);
        assertEquals(sel.keyCount(n), keys.length);
        float[] mean = new float[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (float[] h : attn) {
                s += h[j];
            }
            mean[j] = (float) (s / 16);
        }
        float minKept = Float.MAX_VALUE;
        Set<Integer> keySet = new TreeSet<>();
        for (int k : keys) {
            minKept = Math.min(minKept, mean[k]);
            keySet.add(k);
        }
        for (int j = 0; j < n; j++) {
            if (!keySet.contains(j)) {
                assertTrue(mean[j] <= minKept, "a non-key patch outranks a key patch");
            }
        }
        for (int i = 1; i < keys.length; i++) {
            assertTrue(keys[i] > keys[i - 1]);
        }
        assertArrayEquals(new int[] {3, 5, 100 + 0, 100 + 9},
                KeyTokenSelector.concatWithOffsets(new int[][] {{3, 5}, {0, 9}}, 100));
    }

    @Test
    void badShapesAreRejectedWithTheInputNamed() {
        PruningInputException e = assertThrows(PruningInputException.class,
                () -> new LocalWindowMerger().merge(new float[1 + 25 * 25][4], true, 25, 25));
        assertTrue(e.getMessage().contains("25x25"));
        assertThrows(PruningInputException.class,
                () -> new LocalWindowMerger().merge(new float[10][4], true, 24, 24));
    }

    @Test
    void coveringFullWindowsLeavesTheEdgeThatNoWindowFillsUnmerged() {
        float[][] tokens = new float[8 * 8][];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = new float[] {1, 0.01f * (i % 3), 0};
        }
        assertThrows(PruningInputException.class, () -> new LocalWindowMerger().merge(tokens, false, 8, 8));
        MergeResult r = new LocalWindowMerger().coveringFullWindows().merge(tokens, false, 8, 8);
        assertEquals(4, r.mergedWindows(), "2x2 full 3x3 windows fit an 8x8 grid");
        assertEquals(64 - 8 * 4, r.tokens().length);
        for (int i = 4; i < r.groups().length; i++) {
            int p = r.groups()[i][0];
            boolean inWindow = p / 8 < 6 && p % 8 < 6;
            assertTrue(!inWindow, "patch " + p + " of a merged window left over");
        }
    }
}
