package dev.prism.llm.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElasticCacheTest {
    /** One lane whose prefill column sums are the given scores. */
    static StepAttention scores(float[] s) {
        return new StepAttention() {
            @Override
            public float[][] columnSums(int layer) {
                return new float[][] {s};
            }

            @Override
            public float[][] lastRow(int layer) {
                return new float[][] {s};
            }
        };
    }

    @Test
    void holdsOneMinusRatioOfTheTokensThroughPrefillAndDecoding() {
        for (double ratio : new double[] {0.1, 0.2, 0.5, 0.8}) {
            CacheLayout layout = CacheLayout.uniform(3, 2, 100);
            ElasticCachePolicy p = new ElasticCachePolicy(new ElasticCachePolicy.Config(ratio, 1, 1, -25, false));
            int seen = 100;
            layout = p.afterStep(new CacheStep(true, seen, layout, Synthetic.attention(layout, 4, 1))).apply(layout);
            for (int step = 0; step < 60; step++) {
                double x = seen * (1 - ratio);
                for (int l = 0; l < 3; l++) {
                    int n = layout.length(l, 0);
                    assertTrue(n >= x - 1e-9 && n < x + 1, "ratio " + ratio + " step " + step + ": " + n + " vs " + x);
                }
                layout.append(seen++);
                layout = p.afterStep(new CacheStep(false, seen, layout, null)).apply(layout);
            }
        }
    }

    @Test
    void mergeEvictsTheLowestScoresIntoTheNearestAnchorAndSetsTheFixedPoint() {
        int n = 60;
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) ((i * 37 % 61) / 61.0);
        }
        CacheLayout layout = CacheLayout.uniform(1, 1, n);
        float[][] rows = Synthetic.cache(layout, 4, 3)[0][0];
        ElasticCachePolicy p = new ElasticCachePolicy(ElasticCachePolicy.Config.defaults());
        CachePlan plan = p.afterStep(new CacheStep(true, n, layout, scores(s)));
        int forget = (int) (n - n * (1 - 0.2));
        assertEquals(12, forget);
        CacheLayout after = plan.apply(layout);
        float[][] merged = plan.apply(0, 0, rows);
        int[] ids = after.ids(0, 0);
        assertEquals(n - forget, ids.length);
        assertEquals(0, ids[0], "sink kept");
        assertEquals(n - 1, ids[ids.length - 1], "newest token kept");
        assertTrue(Synthetic.strictlyIncreasing(ids));
        // the evicted set is the 12 lowest-scoring candidates in [1, 59)
        List<Integer> cand = new ArrayList<>();
        for (int i = 1; i < n - 1; i++) {
            cand.add(i);
        }
        cand.sort((a, b) -> Float.compare(s[a], s[b]));
        List<Integer> evicted = cand.subList(0, forget);
        for (int e : evicted) {
            assertTrue(Arrays.stream(ids).noneMatch(i -> i == e), "evicted " + e);
        }
        // each anchor is the mean of itself and the evicted tokens nearest to it
        for (int o = 1; o < ids.length - 1; o++) {
            int a = ids[o];
            List<Integer> group = new ArrayList<>(List.of(a));
            for (int e : evicted) {
                int best = -1;
                for (int k = 1; k < ids.length - 1; k++) {
                    if (best < 0 || Math.abs(ids[k] - e) < Math.abs(best - e)) {
                        best = ids[k];
                    }
                }
                if (best == a) {
                    group.add(e);
                }
            }
            for (int d = 0; d < 4; d++) {
                double mean = 0;
                for (int g : group) {
                    mean += rows[g][d];
                }
                assertEquals(mean / group.size(), merged[o][d], 1e-5, "anchor " + a);
            }
            if (group.size() == 1) {
                assertSame(rows[a], merged[o]);
            }
        }
        int[] src = plan.sources(0, 0, n);
        boolean[] mergedFlag = plan.isMerged(0, 0, n);
        for (int o = 0; o < ids.length; o++) {
            assertEquals(ids[o], src[o], "the destination keeps its slot");
            if (!mergedFlag[o]) {
                assertSame(rows[src[o]], merged[o], "an unmerged entry is its source, untouched");
            }
        }
        // fixed point p* = 48 - 25 = 23: the next forced eviction removes the entry at index 23
        int seen = n;
        CacheLayout cur = after;
        int[] before = null;
        for (int step = 0; step < 10; step++) {
            cur.append(seen++);
            before = cur.ids(0, 0).clone();
            CachePlan dp = p.afterStep(new CacheStep(false, seen, cur, null));
            if (!dp.isEmpty()) {
                CacheLayout next = dp.apply(cur);
                assertEquals(before.length - 1, next.length(0, 0));
                int[] expect = new int[before.length - 1];
                for (int i = 0, o = 0; i < before.length; i++) {
                    if (i != 23) {
                        expect[o++] = before[i];
                    }
                }
                assertArrayEquals(expect, next.ids(0, 0));
                return;
            }
        }
        throw new AssertionError("no fixed-point eviction within 10 steps at ratio 0.2");
    }

    @Test
    void referenceCompatReproducesTheArgsortQuirk() {
        // candidates 1..8 scored [5,1,7,3,8,2,6,4]: argsort = [1,5,3,7,0,6,2,4]; forget = 2
        float[] s = {9, 5, 1, 7, 3, 8, 2, 6, 4, 9};
        CacheLayout layout = CacheLayout.uniform(1, 1, 10);
        float[][] rows = Synthetic.cache(layout, 3, 1)[0][0];
        ElasticCachePolicy p = new ElasticCachePolicy(new ElasticCachePolicy.Config(0.2, 1, 1, -25, true));
        CachePlan plan = p.afterStep(new CacheStep(true, 10, layout, scores(s)));
        assertArrayEquals(new int[] {0, 2, 3, 4, 6, 8, 9}, plan.apply(layout).ids(0, 0), "forget + 1 thrown");
        float[][] out = plan.apply(0, 0, rows);
        assertEquals((rows[2][0] + rows[0][0]) / 2, out[1][0], 0, "thrown raw index 0 is merged into anchor 2");
        assertEquals(rows[4][0], out[3][0], 0);
        assertSame(rows[3], out[2]);
        ElasticCachePolicy intended = new ElasticCachePolicy(ElasticCachePolicy.Config.defaults());
        int[] ids = intended.afterStep(new CacheStep(true, 10, layout, scores(s))).apply(layout).ids(0, 0);
        assertArrayEquals(new int[] {0, 1, 3, 4, 5, 7, 8, 9}, ids, "intended: the two lowest (2 and 6) go");
    }

    @Test
    void ratioZeroNeverTouchesTheCache() {
        CacheLayout layout = CacheLayout.uniform(2, 2, 50);
        ElasticCachePolicy p = new ElasticCachePolicy(new ElasticCachePolicy.Config(0.0, 1, 1, -25, false));
        assertTrue(p.afterStep(new CacheStep(true, 50, layout, Synthetic.attention(layout, 4, 1))).isEmpty());
        layout.append(50);
        assertTrue(p.afterStep(new CacheStep(false, 51, layout, null)).isEmpty());
    }
}
