package dev.prism.vision.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TemporalRedundancyFilterTest {
    static float[][] copy(float[][] f) {
        float[][] c = new float[f.length][];
        for (int i = 0; i < f.length; i++) {
            c[i] = f[i].clone();
        }
        return c;
    }

    @Test
    void staticPatchesAreDroppedAndChangedOnesKept() {
        Random rnd = new Random(1);
        float[][] f0 = new float[16][8];
        for (float[] r : f0) {
            for (int d = 0; d < 8; d++) {
                r[d] = (float) rnd.nextGaussian();
            }
        }
        float[][] f1 = copy(f0);
        f1[3] = new float[] {1, -1, 1, -1, 1, -1, 1, -1};
        float[][] f2 = copy(f1);
        TemporalRedundancyFilter.Result r = new TemporalRedundancyFilter(0.95).filter(List.of(f0, f1, f2));
        assertEquals(16, r.keptPerFrame()[0].length);
        assertArrayEquals(new int[] {3}, r.keptPerFrame()[1]);
        assertEquals(0, r.keptPerFrame()[2].length);
        assertEquals(17, r.keptCount());
        assertEquals(16 + 3, r.indexMap()[16]);
    }

    @Test
    void slowDriftIsComparedWithTheLastKeptVersion() {
        List<float[][]> frames = new ArrayList<>();
        for (int f = 0; f < 10; f++) {
            double a = f * 0.1; // 0.1 rad per frame: cos 0.995 per step, but drift accumulates
            frames.add(new float[][] {{(float) Math.cos(a), (float) Math.sin(a)}});
        }
        TemporalRedundancyFilter.Result r = new TemporalRedundancyFilter(Math.cos(0.25)).filter(frames);
        // kept at 0, then whenever the angle since the last kept frame exceeds 0.25 rad: frames 3, 6, 9
        assertArrayEquals(new int[] {0, 3, 6, 9}, r.indexMap());
    }

    @Test
    void thresholdAboveOneKeepsEverything() {
        float[][] f = {{1, 2}, {3, 4}};
        TemporalRedundancyFilter.Result r = new TemporalRedundancyFilter(1.5).filter(List.of(f, f, f));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, r.indexMap());
    }

    @Test
    void mismatchedFramesAreRejected() {
        assertThrows(PruningInputException.class,
                () -> new TemporalRedundancyFilter(0.9).filter(List.of(new float[2][3], new float[3][3])));
    }
}
