package dev.prism.codecs.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodebookLearnerTest {
    private static final LearningParams FAST = LearningParams.defaults().withKmeansIters(10).withInitSample(4096);

    /** Gaussian mixture with {@code clusters} well-separated centres. */
    static float[] mixture(int n, int dim, int clusters, long seed) {
        Random rnd = new Random(seed);
        float[] centres = new float[clusters * dim];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) rnd.nextGaussian() * 5;
        }
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(clusters);
            for (int d = 0; d < dim; d++) {
                x[i * dim + d] = centres[c * dim + d] + (float) rnd.nextGaussian() * 0.1f;
            }
        }
        return x;
    }

    static double mse(VectorQuantizer q, float[] x, int n) {
        int dim = q.dim();
        int[] codes = new int[q.numCodebooks()];
        float[] out = new float[dim];
        double s = 0;
        for (int i = 0; i < n; i++) {
            q.encode(x, i * dim, codes, 0);
            q.decode(codes, 0, out, 0);
            for (int d = 0; d < dim; d++) {
                double e = x[i * dim + d] - out[d];
                s += e * e;
            }
        }
        return s / ((double) n * dim);
    }

    @Test
    void kmeansPlusPlusAndEmaRecoverSeparatedClusters() {
        float[] x = mixture(4000, 8, 16, 1);
        Codebook cb = new CodebookLearner(FAST).learn(x, 4000, 8, 16, 7);
        ResidualVectorQuantizer q = new ResidualVectorQuantizer(java.util.List.of(cb));
        // Within-cluster noise variance is 0.01; a missed cluster would cost ~25 per dimension.
        assertTrue(mse(q, x, 4000) < 0.02, "mse " + mse(q, x, 4000));
    }

    @Test
    void eachResidualStageLowersTheQuantizationError() {
        Random rnd = new Random(2);
        int n = 3000;
        int dim = 16;
        float[] x = new float[n * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        ResidualVectorQuantizer q = new CodebookLearner(FAST).learnRvq(x, n, dim, 3, 64);
        double e1 = mse(q.withStages(1), x, n);
        double e2 = mse(q.withStages(2), x, n);
        double e3 = mse(q, x, n);
        assertTrue(e1 < 1.0 && e2 < e1 * 0.95 && e3 < e2 * 0.95, e1 + " " + e2 + " " + e3);
    }

    @Test
    void learningIsDeterministicForASeedAndFilesRoundTripExactly() throws IOException {
        float[] x = mixture(2000, 12, 40, 3);
        GroupResidualQuantizer a = new CodebookLearner(FAST).learnGrvq(x, 2000, 12, 2, 2, 32);
        GroupResidualQuantizer b = new CodebookLearner(FAST).learnGrvq(x, 2000, 12, 2, 2, 32);
        long[][] usage = new long[4][32];
        usage[2][5] = 42;
        CodebookSet set = new CodebookSet("test-grvq", true, a, usage);
        assertEquals(set.hash(), new CodebookSet("other", false, b, null).hash(), "same seed, same codebooks");
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        CodebookFile.write(set, bos);
        CodebookSet back = CodebookFile.read(new ByteArrayInputStream(bos.toByteArray()), "mem");
        assertEquals(set.hash(), back.hash());
        assertEquals("test-grvq", back.id());
        assertTrue(back.demo());
        assertEquals(42, back.usage()[2][5]);
        assertEquals(QuantizerLayout.Kind.GRVQ, back.quantizer().layout().kind());
        byte[] cut = Arrays.copyOf(bos.toByteArray(), bos.size() / 2);
        assertThrows(IOException.class, () -> CodebookFile.read(new ByteArrayInputStream(cut), "cut"));
        byte[] bad = bos.toByteArray().clone();
        bad[0] = 'X';
        IOException e = assertThrows(IOException.class, () -> CodebookFile.read(new ByteArrayInputStream(bad), "bad.cb"));
        assertTrue(e.getMessage().contains("bad.cb"));
    }

    @Test
    void deadCodesAreReplacedSoEveryCodeEndsUpUsed() {
        // 8 distinct points, 8 codes, but the seeding sample sees only the first 2 of them: most codes
        // start dead and must be moved onto the data by the EMA dead-code rule.
        int n = 4096;
        int dim = 4;
        float[] x = new float[n * dim];
        for (int i = 0; i < n; i++) {
            int c = i < 64 ? i % 2 : i % 8;
            for (int d = 0; d < dim; d++) {
                x[i * dim + d] = c * 10 + d;
            }
        }
        LearningParams p = new LearningParams(0.5, 1e-5, 2.0, 0, 64, 512, 3, 1L);
        Codebook cb = new CodebookLearner(p).learn(x, n, dim, 8, 11);
        int[] assign = new int[n];
        CodebookLearner.assignAll(cb, x, n, assign);
        assertEquals(8, Arrays.stream(assign).distinct().count(), "all 8 points get their own code");
    }
}
