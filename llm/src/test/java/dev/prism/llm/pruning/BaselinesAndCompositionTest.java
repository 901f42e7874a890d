package dev.prism.llm.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BaselinesAndCompositionTest {
    @Test
    void localWindowKeepsSinksAndTheMostRecentTokens() {
        CacheLayout layout = CacheLayout.uniform(2, 1, 20);
        LocalWindowCachePolicy p = new LocalWindowCachePolicy(0.5, 2);
        CacheLayout after = p.afterStep(new CacheStep(true, 20, layout, null)).apply(layout);
        assertArrayEquals(new int[] {0, 1, 12, 13, 14, 15, 16, 17, 18, 19}, after.ids(1, 0));
    }

    @Test
    void h2oEvictsTheLowestAccumulatedAttentionAndHoldsTheBudget() {
        float[] s = {5, 1, 4, 0.5f, 3, 2, 6, 0.1f, 7, 8};
        StepAttention attn = ElasticCacheTest.scores(s);
        CacheLayout layout = CacheLayout.uniform(1, 1, 10);
        H2OCachePolicy p = new H2OCachePolicy(0.3, 1, 1);
        CacheLayout after = p.afterStep(new CacheStep(true, 10, layout, attn)).apply(layout);
        // forget = 3: candidates 1..8, lowest are 7 (0.1), 3 (0.5), 1 (1)
        assertArrayEquals(new int[] {0, 2, 4, 5, 6, 8, 9}, after.ids(0, 0));
        int seen = 10;
        CacheLayout cur = after;
        for (int step = 0; step < 30; step++) {
            cur.append(seen++);
            cur = p.afterStep(new CacheStep(false, seen, cur, Synthetic.attention(cur, 2, step))).apply(cur);
            double x = seen * 0.7;
            assertTrue(cur.length(0, 0) >= x - 1e-9 && cur.length(0, 0) < x + 1);
        }
    }

    @Test
    void composedPoliciesEqualApplyingThemOneAfterAnother() {
        int s = 4;
        int v = 80;
        int t = 12;
        int n = s + v + t;
        CacheLayout layout = CacheLayout.uniform(4, 2, n);
        float[][][][] cache = Synthetic.cache(layout, 6, 4);
        StepAttention attn = Synthetic.attention(layout, 4, 11);
        PlphpConfig pc = new PlphpConfig(0.5, 0.2, 0.85, 0.1, 1, GqaAggregation.SUM, s, s + v);
        ElasticCachePolicy.Config ec = new ElasticCachePolicy.Config(0.5, 1, 1, -25, false);

        CachePolicy composite = new CompositeCachePolicy(List.of(new PlphpPolicy(pc), new ElasticCachePolicy(ec)));
        CachePlan plan = composite.afterStep(new CacheStep(true, n, layout, attn));

        PlphpPolicy first = new PlphpPolicy(pc);
        CachePlan p1 = first.afterStep(new CacheStep(true, n, layout, attn));
        CacheLayout mid = p1.apply(layout);
        float[][][][] midCache = p1.apply(cache);
        // what Elastic sees after PLPHP: attention gathered to the kept entries
        StepAttention midAttn = new StepAttention() {
            @Override
            public float[][] columnSums(int layer) {
                return gather(layer, attn.columnSums(layer));
            }

            @Override
            public float[][] lastRow(int layer) {
                return gather(layer, attn.lastRow(layer));
            }

            private float[][] gather(int layer, float[][] rows) {
                float[][] out = new float[rows.length][];
                for (int q = 0; q < rows.length; q++) {
                    int[] ids = mid.ids(layer, q / 2);
                    out[q] = new float[ids.length];
                    for (int e = 0; e < ids.length; e++) {
                        out[q][e] = rows[q][ids[e]];
                    }
                }
                return out;
            }
        };
        CachePlan p2 = new ElasticCachePolicy(ec).afterStep(new CacheStep(true, n, mid, midAttn));
        float[][][][] expected = p2.apply(midCache);
        float[][][][] actual = plan.apply(cache);
        CacheLayout end = plan.apply(layout);
        assertEquals(p2.apply(mid).totalEntries(), end.totalEntries());
        for (int l = 0; l < 4; l++) {
            for (int h = 0; h < 2; h++) {
                assertArrayEquals(p2.apply(mid).ids(l, h), end.ids(l, h));
                for (int e = 0; e < expected[l][h].length; e++) {
                    assertArrayEquals(expected[l][h][e], actual[l][h][e], 0f);
                }
            }
        }
        assertTrue(!p1.isEmpty() && !p2.isEmpty(), "both policies acted");
        for (int l = 0; l < 4; l++) {
            assertEquals(n / 2, end.length(l, 1), "Elastic holds (1 - ratio) of the tokens after PLPHP");
        }
        CachePolicy fresh = new CompositeCachePolicy(List.of(new PlphpPolicy(pc), new ElasticCachePolicy(ec)));
        assertEquals(java.util.EnumSet.allOf(CachePolicy.Need.class), fresh.needs(true));
        assertTrue(composite.needs(false).isEmpty(), "after prefill neither needs attention");
    }
}
