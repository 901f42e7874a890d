package dev.prism.codecs.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Cauchy-Schwarz tail pruning of {@link Codebook#nearest} never changes the chosen index. */
class NearestPruningTest {
    static float[] decaying(Random r, int n, int dim, double scale) {
        float[] v = new float[n * dim];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < dim; d++) {
                v[i * dim + d] = (float) (scale * r.nextGaussian() / (1 + d / 8.0));
            }
        }
        return v;
    }

    @Test
    void prunedSearchEqualsExhaustiveSearchIncludingNearTies() {
        for (int dim : new int[] {320, 160, 64, 40}) {
            Random r = new Random(dim);
            Codebook cb = new Codebook(1024, dim, decaying(r, 1024, dim, 1));
            assertEquals(dim >= 128 ? 64 : dim >= 48 ? 16 : 0, cb.headDims());
            float[] q = decaying(r, 1500, dim, 1.2);
            // Near ties: midpoints between two codewords and codewords plus tiny noise.
            for (int i = 0; i < 500; i++) {
                int a = r.nextInt(1024);
                int b = r.nextInt(1024);
                for (int d = 0; d < dim; d++) {
                    float ea = cb.data()[a * dim + d];
                    float eb = cb.data()[b * dim + d];
                    q[i * dim + d] = i % 2 == 0 ? (ea + eb) / 2 : ea + (float) (1e-7 * r.nextGaussian());
                }
            }
            for (int i = 0; i < 1500; i++) {
                int want = cb.nearestExhaustive(q, i * dim);
                assertEquals(want, cb.nearest(q, i * dim), "dim " + dim + " query " + i);
                assertEquals(want, cb.nearest(q, i * dim, r.nextInt(1024)), "random hint, dim " + dim + " query " + i);
                assertEquals(want, cb.nearest(q, i * dim, want), "exact hint, dim " + dim + " query " + i);
            }
        }
    }

    @Test
    void exactTiesGoToTheLowestIndexWhateverTheHint() {
        int dim = 64;
        float[] books = new float[8 * dim];
        for (int k = 0; k < 8; k++) {
            books[k * dim + (k % 2)] = 1f;   // codewords 0, 2, 4, 6 equal; 1, 3, 5, 7 equal
        }
        Codebook cb = new Codebook(8, dim, books);
        float[] q = new float[dim];
        q[1] = 0.9f;
        for (int hint = -1; hint < 8; hint++) {
            assertEquals(1, cb.nearest(q, 0, hint), "hint " + hint);
        }
        assertEquals(0, cb.nearest(new float[dim], 0, 5), "zero query: all codewords tie");
    }

    @Test
    void residualStagesOfAnRvqAgreeWithExhaustiveSearch() {
        Random r = new Random(3);
        int dim = 320;
        float[] train = decaying(r, 2000, dim, 1);
        ResidualVectorQuantizer rvq = new CodebookLearner(LearningParams.defaults().withKmeansIters(2).withInitSample(1024)
                .withEmaEpochs(1)).learnRvq(train, 2000, dim, 3, 128);
        float[] x = decaying(r, 400, dim, 1);
        int checked = 0;
        for (int i = 0; i < 400; i++) {
            float[] res = java.util.Arrays.copyOfRange(x, i * dim, (i + 1) * dim);
            for (int k = 0; k < 3; k++) {
                Codebook cb = rvq.codebook(k);
                int idx = cb.nearest(res, 0);
                assertEquals(cb.nearestExhaustive(res, 0), idx);
                cb.subtractFrom(idx, res, 0);
                checked++;
            }
        }
        assertTrue(checked == 1200);
    }
}
