package dev.prism.codecs.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantizerTest {

    static Codebook randomBook(int size, int dim, float scale, Random rnd) {
        float[] d = new float[size * dim];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rnd.nextGaussian() * scale;
        }
        return new Codebook(size, dim, d);
    }

    @Test
    void bandwidthRuleMatchesEncodecAndXcodecTables() {
        double[] bw24 = {1.5, 3, 6, 12, 24};
        int[] nq24 = {2, 4, 8, 16, 32};
        for (int i = 0; i < bw24.length; i++) {
            assertEquals(nq24[i], ResidualVectorQuantizer.numQuantizersForBandwidth(bw24[i], 75, 10));
        }
        double[] bw48 = {3, 6, 12, 24};
        int[] nq48 = {2, 4, 8, 16};
        for (int i = 0; i < bw48.length; i++) {
            assertEquals(nq48[i], ResidualVectorQuantizer.numQuantizersForBandwidth(bw48[i], 150, 10));
        }
        double[] bwX = {0.5, 1, 1.5, 2, 4};
        int[] nqX = {1, 2, 3, 4, 8};
        for (int i = 0; i < bwX.length; i++) {
            assertEquals(nqX[i], ResidualVectorQuantizer.numQuantizersForBandwidth(bwX[i], 50, 10));
        }
        assertEquals(1, ResidualVectorQuantizer.numQuantizersForBandwidth(0.1, 75, 10));
        assertEquals(750.0, ResidualVectorQuantizer.bandwidthPerQuantizer(75, 10));
    }

    @Test
    void nearestMatchesBruteForceSquaredDistance() {
        Random rnd = new Random(1);
        Codebook cb = randomBook(256, 37, 1f, rnd);
        for (int t = 0; t < 200; t++) {
            float[] x = new float[37];
            for (int d = 0; d < 37; d++) {
                x[d] = (float) rnd.nextGaussian();
            }
            int best = -1;
            double bestD = Double.MAX_VALUE;
            for (int k = 0; k < 256; k++) {
                double s = 0;
                for (int d = 0; d < 37; d++) {
                    double diff = x[d] - cb.data()[k * 37 + d];
                    s += diff * diff;
                }
                if (s < bestD) {
                    bestD = s;
                    best = k;
                }
            }
            assertEquals(best, cb.nearest(x, 0));
        }
    }

    @Test
    void rvqEncodesResidualsGreedilyAndDecodesTheSum() {
        Random rnd = new Random(2);
        List<Codebook> books = List.of(randomBook(64, 8, 1f, rnd), randomBook(64, 8, 0.3f, rnd), randomBook(64, 8, 0.1f, rnd));
        ResidualVectorQuantizer q = new ResidualVectorQuantizer(books);
        float[] x = new float[8];
        for (int d = 0; d < 8; d++) {
            x[d] = (float) rnd.nextGaussian();
        }
        int[] codes = new int[3];
        q.encode(x, 0, codes, 0);
        float[] r = x.clone();
        for (int k = 0; k < 3; k++) {
            assertEquals(books.get(k).nearest(r, 0), codes[k], "stage " + k + " quantizes the running residual");
            books.get(k).subtractFrom(codes[k], r, 0);
        }
        float[] out = new float[8];
        q.decode(codes, 0, out, 0);
        for (int d = 0; d < 8; d++) {
            assertEquals(x[d] - r[d], out[d], 1e-5);
        }
        int[] two = new int[2];
        q.withStages(2).encode(x, 0, two, 0);
        assertArrayEquals(new int[] {codes[0], codes[1]}, two, "fewer stages keep the same prefix");
    }

    @Test
    void grvqIsIndependentRvqPerGroupWithStageMajorCodeOrder() {
        Random rnd = new Random(3);
        // HiFi-Codec shape scaled down: G = 2 groups, R = 2 stages.
        Codebook s1g1 = randomBook(32, 6, 1f, rnd);
        Codebook s1g2 = randomBook(32, 6, 1f, rnd);
        Codebook s2g1 = randomBook(32, 6, 0.3f, rnd);
        Codebook s2g2 = randomBook(32, 6, 0.3f, rnd);
        GroupResidualQuantizer q = new GroupResidualQuantizer(2, List.of(s1g1, s1g2, s2g1, s2g2));
        assertEquals(12, q.dim());
        assertEquals(4, q.numCodebooks());
        ResidualVectorQuantizer left = new ResidualVectorQuantizer(List.of(s1g1, s2g1));
        ResidualVectorQuantizer right = new ResidualVectorQuantizer(List.of(s1g2, s2g2));
        for (int t = 0; t < 50; t++) {
            float[] x = new float[12];
            for (int d = 0; d < 12; d++) {
                x[d] = (float) rnd.nextGaussian();
            }
            int[] codes = new int[4];
            q.encode(x, 0, codes, 0);
            int[] l = new int[2];
            int[] r = new int[2];
            left.encode(x, 0, l, 0);
            right.encode(x, 6, r, 0);
            assertArrayEquals(new int[] {l[0], r[0], l[1], r[1]}, codes, "order [s1g1, s1g2, s2g1, s2g2]");
            float[] out = new float[12];
            q.decode(codes, 0, out, 0);
            float[] lo = new float[6];
            float[] ro = new float[6];
            left.decode(l, 0, lo, 0);
            right.decode(r, 0, ro, 0);
            for (int d = 0; d < 6; d++) {
                assertEquals(lo[d], out[d], 1e-6);
                assertEquals(ro[d], out[6 + d], 1e-6);
            }
        }
    }

    @Test
    void batchedEncodingEqualsPerFrameEncodingBitForBit() {
        Random rnd = new Random(6);
        List<Codebook> books = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            books.add(randomBook(128, 20, 1f / (i + 1), rnd));
        }
        VectorQuantizer[] qs = {new ResidualVectorQuantizer(books), new GroupResidualQuantizer(2, List.of(
                randomBook(128, 10, 1f, rnd), randomBook(128, 10, 1f, rnd), randomBook(128, 10, 0.3f, rnd),
                randomBook(128, 10, 0.3f, rnd)))};
        for (VectorQuantizer q : qs) {
            int n = 23;
            float[] x = new float[n * 20];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            int[] batch = new int[n * 4];
            q.encodeBatch(x, 0, n, batch, 0);
            for (int i = 0; i < n; i++) {
                int[] one = new int[4];
                q.encode(x, i * 20, one, 0);
                assertArrayEquals(one, java.util.Arrays.copyOfRange(batch, i * 4, i * 4 + 4), "frame " + i);
            }
        }
    }

    @Test
    void decodingAnOutOfRangeCodeIsRejected() {
        Random rnd = new Random(4);
        ResidualVectorQuantizer q = new ResidualVectorQuantizer(List.of(randomBook(16, 4, 1f, rnd)));
        assertThrows(IllegalArgumentException.class, () -> q.decode(new int[] {16}, 0, new float[4], 0));
    }

    @Test
    void mismatchedCodebooksAreRejected() {
        Random rnd = new Random(5);
        List<Codebook> books = new ArrayList<>(List.of(randomBook(16, 4, 1f, rnd), randomBook(16, 5, 1f, rnd)));
        assertThrows(IllegalArgumentException.class, () -> new ResidualVectorQuantizer(books));
        assertThrows(IllegalArgumentException.class, () -> new GroupResidualQuantizer(2, books.subList(0, 1)));
    }
}
