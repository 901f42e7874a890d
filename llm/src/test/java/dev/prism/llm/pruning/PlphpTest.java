package dev.prism.llm.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlphpTest {
    static final int LAYERS = 6;
    static final int KV = 2;
    static final int Q = 8;
    static final int S = 4;
    static final int V = 100;
    static final int T = 10;

    static PlphpConfig config(double r, double dr, GqaAggregation agg) {
        return new PlphpConfig(0.5, 0.2, r, dr, 2, agg, S, S + V);
    }

    @Test
    void retentionOneIsTheIdentity() {
        CacheLayout layout = CacheLayout.uniform(LAYERS, KV, S + V + T);
        PlphpPolicy p = new PlphpPolicy(config(1.0, 0.0, GqaAggregation.SUM));
        CachePlan plan = p.afterStep(new CacheStep(true, S + V + T, layout, Synthetic.attention(layout, Q, 3)));
        assertTrue(plan.isEmpty());
        float[][][][] cache = Synthetic.cache(layout, 8, 1);
        float[][][][] out = plan.apply(cache);
        for (int l = 0; l < LAYERS; l++) {
            for (int h = 0; h < KV; h++) {
                for (int e = 0; e < cache[l][h].length; e++) {
                    assertSame(cache[l][h][e], out[l][h][e]);
                }
            }
        }
        assertEquals(1.0, p.realisedRetention());
    }

    @Test
    void threeClassesWithClampedRetention() {
        PlphpConfig c = new PlphpConfig(0.6, 0.3, 0.9, 0.2, 0, GqaAggregation.MAX, 0, 1);
        assertEquals(PlphpConfig.LayerClass.VISION_ATTENTIVE, c.classify(0.6));
        assertEquals(PlphpConfig.LayerClass.VISION_BALANCED, c.classify(0.45));
        assertEquals(PlphpConfig.LayerClass.VISION_INDIFFERENT, c.classify(0.3));
        assertEquals(1.0, c.retention(0.9));
        assertEquals(0.9, c.retention(0.4), 1e-12);
        assertEquals(0.7, c.retention(0.1), 1e-12);
        assertThrows(PruningInputException.class, () -> new PlphpConfig(0.3, 0.3, 0.5, 0.1, 0, GqaAggregation.SUM, 0, 1));
    }

    @Test
    void perKvHeadTopKKeepsTextAndTheHighestAggregatedVisionScores() {
        CacheLayout layout = CacheLayout.uniform(LAYERS, KV, S + V + T);
        StepAttention attn = Synthetic.attention(layout, Q, 5);
        PlphpPolicy p = new PlphpPolicy(config(0.5, 0.2, GqaAggregation.SUM));
        CachePlan plan = p.afterStep(new CacheStep(true, S + V + T, layout, attn));
        CacheLayout after = plan.apply(layout);
        for (int l = 0; l < LAYERS; l++) {
            float[][] rows = attn.lastRow(l);
            for (int h = 0; h < KV; h++) {
                int[] ids = after.ids(l, h);
                if (l < 2) {
                    assertEquals(S + V + T, ids.length, "layers below K are not pruned");
                    continue;
                }
                PlphpPolicy.LayerDecision d = p.decisions().get(l - 2);
                int k = (int) Math.ceil(d.retention() * V - 1e-9);
                long vision = Arrays.stream(ids).filter(i -> i >= S && i < S + V).count();
                assertEquals(k, vision, "layer " + l + " head " + h);
                assertEquals(S + T, ids.length - vision, "text and system tokens are always kept");
                assertTrue(Synthetic.strictlyIncreasing(ids), "no reordering");
                double minKept = Double.MAX_VALUE;
                double maxDropped = -1;
                List<Integer> kept = Arrays.stream(ids).boxed().toList();
                for (int j = S; j < S + V; j++) {
                    double s = 0;
                    for (int q = h * 4; q < h * 4 + 4; q++) {
                        s += rows[q][j];
                    }
                    if (kept.contains(j)) {
                        minKept = Math.min(minKept, s);
                    } else {
                        maxDropped = Math.max(maxDropped, s);
                    }
                }
                assertTrue(minKept >= maxDropped, "kept vision tokens are the top-k by summed head score");
            }
        }
        double gamma = PlphpCalibrator.gamma(attn.lastRow(3), S, S + V);
        assertEquals(gamma, p.decisions().get(1).gamma(), 1e-9);
        assertTrue(p.realisedRetention() < 1.0);
        assertTrue(!Arrays.equals(after.ids(3, 0), after.ids(3, 1)), "KV heads choose independently");
    }

    @Test
    void aggregationRuleChangesTheSelection() {
        CacheLayout layout = CacheLayout.uniform(1, 1, 3);
        float[][] last2 = {{0.5f, 0.45f, 0.05f}, {0.0f, 0.2f, 0.8f}};
        StepAttention attn2 = new StepAttention() {
            @Override
            public float[][] columnSums(int layer) {
                return last2;
            }

            @Override
            public float[][] lastRow(int layer) {
                return last2;
            }
        };
        // vision = tokens 0 and 1, one survives: SUM scores 0.5 vs 0.65 keeps 1, MAX scores 0.5 vs 0.45 keeps 0
        PlphpConfig two = new PlphpConfig(0.9, 0.1, 0.5, 0.0, 0, GqaAggregation.SUM, 0, 2);
        assertEquals(1, new PlphpPolicy(two).afterStep(new CacheStep(true, 3, layout, attn2)).apply(layout).ids(0, 0)[0]);
        PlphpConfig twoMax = new PlphpConfig(0.9, 0.1, 0.5, 0.0, 0, GqaAggregation.MAX, 0, 2);
        assertEquals(0, new PlphpPolicy(twoMax).afterStep(new CacheStep(true, 3, layout, attn2)).apply(layout).ids(0, 0)[0]);
    }

    @Test
    void calibrationHitsTheTargetMeanRetention() {
        Random rnd = new Random(9);
        List<double[]> gammas = new ArrayList<>();
        for (int p = 0; p < 100; p++) {
            double[] g = new double[24];
            for (int l = 0; l < g.length; l++) {
                g[l] = Math.min(1, Math.max(0, 0.3 + 0.2 * Math.sin(l / 3.0) + 0.05 * rnd.nextGaussian()));
            }
            gammas.add(g);
        }
        PlphpCalibrator cal = new PlphpCalibrator();
        for (PlphpCalibrator.Calibration c : cal.sweep(gammas, 0.5, 0.1, 0.2, 0.3)) {
            assertTrue(c.alpha() > c.beta());
            assertEquals(0.5, c.realisedRetention(), 1e-6, "deltaR " + c.deltaR());
        }
        double[] pool = gammas.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
        PlphpCalibrator.Calibration c = cal.calibrate(gammas, 0.25, 0.2);
        assertEquals(PlphpCalibrator.percentile(pool, 67), c.alpha(), 1e-12);
        assertEquals(0.25, c.realisedRetention(), 1e-6);
        assertEquals(pool.length, c.attentive() + c.balanced() + c.indifferent(), "every logged pair in one class");
        assertEquals(0.33 * pool.length, c.attentive(), 2, "gamma >= the 67th percentile: 33% of the pairs");
        assertEquals(0.33 * pool.length, c.indifferent(), 2, "gamma <= the 33rd percentile: 33%");
        assertThrows(PruningInputException.class,
                () -> cal.calibrate(List.of(new double[] {0.4, 0.4, 0.4}), 0.5, 0.1));
    }

    @Test
    void protectedTokensInsideTheVisionSpanAreNeverPrunedNorCountedAsVision() {
        CacheLayout layout = CacheLayout.uniform(LAYERS, KV, S + V + T);
        StepAttention attn = Synthetic.attention(layout, Q, 5);
        int[] markup = {S, S + 37, S + V - 1};
        PlphpPolicy p = new PlphpPolicy(config(0.3, 0.0, GqaAggregation.SUM), markup);
        CacheLayout after = p.afterStep(new CacheStep(true, S + V + T, layout, attn)).apply(layout);
        for (int l = 2; l < LAYERS; l++) {
            for (int h = 0; h < KV; h++) {
                int[] ids = after.ids(l, h);
                for (int m : markup) {
                    assertTrue(Arrays.binarySearch(ids, m) >= 0, "markup " + m + " pruned at layer " + l);
                }
                long vision = Arrays.stream(ids).filter(i -> i >= S && i < S + V).count() - markup.length;
                assertEquals((int) Math.ceil(0.3 * (V - markup.length) - 1e-9), vision, "top-k over real vision tokens");
            }
        }
    }
}
