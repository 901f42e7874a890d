package dev.prism.llm.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MustDropStageBCTest {
    static final SequenceLayout LAYOUT = new SequenceLayout(6, 576, 12);
    static final int HEADS = 8;
    static final int LAYERS = 18;
    static final int[] KEYS = {3, 40, 41, 200, 575};

    /** Runs prefill over LAYERS layers and returns the pruner. */
    static MustDropPrefill runPrefill(DualAttentionFilter filter) {
        MustDropPrefill p = new MustDropPrefill(MustDropPrefill.DEFAULT_LAYERS, filter, LAYOUT, KEYS);
        for (int l = 0; l < LAYERS; l++) {
            if (p.needsTextAttention(l)) {
                p.afterLayer(l, Synthetic.textRows(100 + l, HEADS, p.layout(), 3.0));
            } else {
                assertNull(p.afterLayer(l, null));
            }
        }
        return p;
    }

    @Test
    void filterDropsExactlyTheTokensBelowBothThresholds() {
        float[][][] rows = Synthetic.textRows(7, HEADS, LAYOUT, 3.0);
        double gThr = 0.0012;
        double iThr = 0.002;
        int[] surv = new DualAttentionFilter(gThr, iThr).survivors(rows, LAYOUT, new int[] {0});
        Set<Integer> s = Arrays.stream(surv).boxed().collect(Collectors.toSet());
        double[] g = new double[LAYOUT.vision()];
        double[] m = new double[LAYOUT.vision()];
        for (int t = 0; t < LAYOUT.text(); t++) {
            for (int j = 0; j < LAYOUT.vision(); j++) {
                double a = 0;
                for (float[][] h : rows) {
                    a += h[t][LAYOUT.system() + j];
                }
                a /= HEADS;
                g[j] += a;
                m[j] = Math.max(m[j], a);
            }
        }
        double total = Arrays.stream(g).sum();
        int dropped = 0;
        for (int j = 0; j < LAYOUT.vision(); j++) {
            boolean drop = g[j] < gThr * total && m[j] < iThr && j != 0;
            assertEquals(!drop, s.contains(j), "token " + j);
            dropped += drop ? 1 : 0;
        }
        assertTrue(dropped > 50 && dropped < 550, "the thresholds should prune part of the tokens, dropped " + dropped);
        assertTrue(s.contains(0), "the key set survives");
    }

    @Test
    void keySetSurvivesEveryStageAndComposedMapsStrictlyIncrease() {
        MustDropPrefill p = runPrefill(new DualAttentionFilter(0.0015, 0.003));
        List<int[]> maps = p.stageMaps();
        assertEquals(4, maps.size());
        // follow the original key ids through the stages
        int[] ids = new int[LAYOUT.length()];
        Arrays.setAll(ids, i -> i);
        for (int[] map : maps) {
            int[] next = new int[map.length];
            for (int j = 0; j < map.length; j++) {
                next[j] = ids[map[j]];
            }
            ids = next;
            Set<Integer> held = Arrays.stream(ids).boxed().collect(Collectors.toSet());
            for (int k : KEYS) {
                assertTrue(held.contains(LAYOUT.system() + k), "key " + k + " dropped");
            }
            assertTrue(Synthetic.strictlyIncreasing(map));
        }
        for (int[] c : p.composedMaps()) {
            assertTrue(Synthetic.strictlyIncreasing(c));
            assertEquals(ids.length, c.length);
        }
        assertArrayEquals(ids, p.composedMaps().get(0), "stage 0's composed map points at the final set");
        int vFinal = p.layout().vision();
        assertTrue(vFinal < LAYOUT.vision() * 3 / 4, "the synthetic thresholds prune, got " + vFinal);
        assertEquals(LAYOUT.system() + vFinal + LAYOUT.text(), ids.length);
        int[] remapped = p.keySet();
        for (int i = 0; i < KEYS.length; i++) {
            assertEquals(LAYOUT.system() + KEYS[i], ids[LAYOUT.system() + remapped[i]], "remapped key index");
        }
        int[] perLayer = p.visionTokensPerLayer(LAYERS);
        assertEquals(LAYOUT.vision(), perLayer[2]);
        assertEquals(maps.get(0).length - LAYOUT.system() - LAYOUT.text(), perLayer[3]);
        assertEquals(vFinal, perLayer[15]);
        assertEquals(Arrays.stream(perLayer).average().orElseThrow(), p.layerAveragedVisionTokens(LAYERS), 0);
        double expectFlops = Arrays.stream(perLayer).mapToDouble(x -> LAYOUT.system() + x + LAYOUT.text()).sum()
                / (LAYERS * (double) LAYOUT.length());
        assertEquals(expectFlops, p.prefillFlopsRatio(LAYERS), 1e-12);
        assertTrue(p.prefillFlopsRatio(LAYERS) < 0.9);
    }

    @Test
    void stageCPrunesLayersTwoToFourteenToTheFinalSetAndKeepsLayersZeroOneFull() {
        MustDropPrefill p = runPrefill(new DualAttentionFilter(0.0015, 0.003));
        CacheLayout prefill = p.prefillCacheLayout(LAYERS, 2);
        float[][][][] cache = Synthetic.cache(prefill, 6, 1);
        CachePlan plan = p.outputAwarePolicy().afterStep(new CacheStep(true, LAYOUT.length(), prefill, null));
        CacheLayout after = plan.apply(prefill);
        float[][][][] pruned = plan.apply(cache);
        int[] finalIds = after.ids(LAYERS - 1, 0);
        long expected = 2L * (2 * LAYOUT.length() + (LAYERS - 2) * (long) finalIds.length) * 2 * 64 * 2;
        assertEquals(expected, after.kvBytes(64, 2), "layers 0-1 full, every later layer holds S + V_final + Tq");
        assertEquals(LAYOUT.system() + p.layout().vision() + LAYOUT.text(), finalIds.length);
        for (int l = 0; l < LAYERS; l++) {
            for (int h = 0; h < 2; h++) {
                if (l < 2) {
                    assertEquals(LAYOUT.length(), after.length(l, h));
                    assertSame(cache[l][h][7], pruned[l][h][7]);
                } else {
                    assertArrayEquals(finalIds, after.ids(l, h), "layer " + l);
                }
                for (int e = 0; e < pruned[l][h].length; e++) {
                    assertEquals(after.ids(l, h)[e], pruned[l][h][e][0], "row content follows its token");
                }
            }
        }
        OutputAwareCachePolicy c = p.outputAwarePolicy();
        assertTrue(!c.afterStep(new CacheStep(true, LAYOUT.length(), prefill, null)).isEmpty());
        assertTrue(c.afterStep(new CacheStep(false, LAYOUT.length() + 1, after, null)).isEmpty(),
                "stage C acts once, after prefill");
        assertArrayEquals(new int[] {5, 5, 5}, DecodePositionRule.DEEPEST_CACHE_LENGTH.positions(new int[] {9, 9, 5}));
        assertArrayEquals(new int[] {9, 9, 5}, DecodePositionRule.OWN_CACHE_LENGTH.positions(new int[] {9, 9, 5}));
    }

    @Test
    void thresholdsThatPruneNothingLeaveSequenceAndCacheBitIdentical() {
        MustDropPrefill p = new MustDropPrefill(MustDropPrefill.DEFAULT_LAYERS, MustDropThresholds.NONE, LAYOUT, KEYS);
        for (int l = 0; l < LAYERS; l++) {
            if (p.needsTextAttention(l)) {
                assertNull(p.afterLayer(l, Synthetic.textRows(l, HEADS, p.layout(), 3.0)));
            }
        }
        assertEquals(LAYOUT, p.layout());
        CacheLayout prefill = p.prefillCacheLayout(LAYERS, 2);
        CachePlan plan = p.outputAwarePolicy().afterStep(new CacheStep(true, LAYOUT.length(), prefill, null));
        assertTrue(plan.isEmpty());
        float[][][][] cache = Synthetic.cache(prefill, 6, 2);
        float[][][][] out = plan.apply(cache);
        for (int l = 0; l < LAYERS; l++) {
            for (int e = 0; e < cache[l][0].length; e++) {
                assertSame(cache[l][0][e], out[l][0][e]);
            }
        }
    }

    @Test
    void stageCCreatedBeforePrefillUsesTheMapsRecordedDuringIt() {
        MustDropPrefill p = new MustDropPrefill(MustDropPrefill.DEFAULT_LAYERS, new DualAttentionFilter(0.0015, 0.003),
                LAYOUT, KEYS);
        OutputAwareCachePolicy early = p.outputAwarePolicy();
        for (int l = 0; l < LAYERS; l++) {
            if (p.needsTextAttention(l)) {
                p.afterLayer(l, Synthetic.textRows(100 + l, HEADS, p.layout(), 3.0));
            }
        }
        CacheLayout prefill = p.prefillCacheLayout(LAYERS, 2);
        CacheLayout a = early.afterStep(new CacheStep(true, LAYOUT.length(), prefill, null)).apply(prefill);
        CacheLayout b = p.outputAwarePolicy().afterStep(new CacheStep(true, LAYOUT.length(), prefill, null))
                .apply(prefill);
        for (int l = 0; l < LAYERS; l++) {
            assertArrayEquals(b.ids(l, 1), a.ids(l, 1));
        }
        assertEquals(LAYOUT.system() + p.layout().vision() + LAYOUT.text(), a.length(5, 0));
    }

    @Test
    void stageCRefusesACacheOfTheWrongLength() {
        MustDropPrefill p = runPrefill(new DualAttentionFilter(0.0015, 0.003));
        CacheLayout wrong = CacheLayout.uniform(LAYERS, 2, LAYOUT.length());
        PruningInputException e = assertThrows(PruningInputException.class,
                () -> p.outputAwarePolicy().afterStep(new CacheStep(true, LAYOUT.length(), wrong, null)));
        assertTrue(e.getMessage().contains("layer 3"), e.getMessage());
    }
}
