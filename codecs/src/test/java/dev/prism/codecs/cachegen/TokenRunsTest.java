package dev.prism.codecs.cachegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Explicit delta runs ({@link TokenRuns}) for pruned caches, ALGORITHMS.md 4.5 with 4.2's bound. */
class TokenRunsTest {

    /** Keys and positions that describe exactly the grid of {@link TokenOrder}(start, frames, patches). */
    private static TokenRuns gridRuns(int tokens, int start, int frames, int patches) {
        int[] keys = new int[tokens];
        long[] pos = new long[tokens];
        for (int t = 0; t < tokens; t++) {
            keys[t] = t >= start && t < start + frames * patches ? (t - start) % patches : -1;
            pos[t] = t;
        }
        return new TokenRuns(keys, pos);
    }

    @Test
    void runsDescribingTheGridCodeExactlyAsTheGridLayout() {
        KeyRope rope = KeyRope.standard(10000, 8);
        KvCache kv = CacheGenDeltaTest.roped(CacheGenDeltaTest.video(5, 3, 200, 7, 21), rope);
        BinConfig bins = BinConfig.level(1, 2);
        CacheGenCodec codec = new CacheGenCodec();
        List<CacheGenCodec.Chunk> grid = codec.encodeChunks(kv, bins, new TokenOrder(5, 3, 200), rope);
        TokenRuns runs = gridRuns(kv.tokens(), 5, 3, 200);
        List<CacheGenCodec.Chunk> keyed = codec.encodeChunks(kv, bins, runs, rope);
        assertEquals(grid.size(), keyed.size());
        for (int i = 0; i < grid.size(); i++) {
            assertArrayEquals(grid.get(i).bytes(), keyed.get(i).bytes(), "chunk " + i);
        }
        KvCache back = CacheGenCodec.decode(CacheGenCodec.assemble(kv, keyed, runs, rope).bytes(), runs);
        CacheGenCodecTest.assertCachesEqual(CacheGenCodec.decode(CacheGenCodec.assemble(kv, grid,
                new TokenOrder(5, 3, 200), rope).bytes()), back);
    }

    /** The video cache with a random ~half of its vision tokens dropped (as pruning does), positions kept. */
    private record Pruned(KvCache kv, TokenRuns runs) {
    }

    private static Pruned prune(int prefix, int frames, int patches, int suffix, long seed, KeyRope rope) {
        KvCache full = CacheGenDeltaTest.video(prefix, frames, patches, suffix, seed);
        Random rnd = new Random(seed);
        List<Integer> kept = new ArrayList<>();
        for (int t = 0; t < full.tokens(); t++) {
            boolean vision = t >= prefix && t < prefix + frames * patches;
            if (!vision || rnd.nextDouble() < 0.5) {
                kept.add(t);
            }
        }
        int n = kept.size();
        KvCache kv = KvCache.zeros(full.layers(), full.kvHeads(), n, full.headDim());
        int[] keys = new int[n];
        long[] pos = new long[n];
        for (int i = 0; i < n; i++) {
            int t = kept.get(i);
            boolean vision = t >= prefix && t < prefix + frames * patches;
            keys[i] = vision ? (t - prefix) % patches : -1;
            pos[i] = t;
            for (int l = 0; l < full.layers(); l++) {
                for (int h = 0; h < full.kvHeads(); h++) {
                    kv.keys()[l][h][i] = full.keys()[l][h][t].clone();
                    kv.values()[l][h][i] = full.values()[l][h][t].clone();
                    if (rope != null) {
                        CacheGenDeltaTest.turn(kv.keys()[l][h][i], t, rope);
                    }
                }
            }
        }
        return new Pruned(kv, new TokenRuns(keys, pos));
    }

    @Test
    void prunedTokensAnchorOnTheirPatchInTheLastKeptFrameWithinTheBound() {
        KeyRope rope = KeyRope.standard(10000, 8);
        Pruned p = prune(5, 4, 150, 7, 22, rope);
        BinConfig bins = BinConfig.level(2, 2);
        CacheGenCodec codec = new CacheGenCodec();
        CacheGenCodec.Encoded raster = codec.encode(p.kv(), bins);
        CacheGenCodec.Encoded runsOnly = codec.encode(p.kv(), bins, p.runs());
        CacheGenCodec.Encoded turned = codec.encode(p.kv(), bins, p.runs(), rope);
        assertTrue(runsOnly.bytes().length < 0.95 * raster.bytes().length, runsOnly.bytes().length + " vs raster "
                + raster.bytes().length);
        assertTrue(turned.bytes().length < 0.95 * runsOnly.bytes().length, "RoPE-turned anchors at the kept tokens' "
                + "own positions: " + turned.bytes().length + " vs " + runsOnly.bytes().length);
        long[] renumbered = new long[p.runs().positions().length];
        java.util.Arrays.setAll(renumbered, i -> i);
        CacheGenCodec.Encoded wrongPhase = codec.encode(p.kv(), bins, new TokenRuns(p.runs().keys(), renumbered), rope);
        assertTrue(turned.bytes().length < 0.97 * wrongPhase.bytes().length, "turning by the row distance instead of "
                + "the positions' must lose: " + turned.bytes().length + " vs " + wrongPhase.bytes().length);
        assertTrue(turned.stats().overheadVsEntropy() <= 1.01, "payload/entropy " + turned.stats().overheadVsEntropy());
        CacheGenCodecTest.assertWithinBinBound(p.kv(), CacheGenCodec.decode(turned.bytes(), p.runs()), bins);
        CacheGenCodecTest.assertWithinBinBound(p.kv(), CacheGenCodec.decode(runsOnly.bytes(), p.runs()), bins);
    }

    @Test
    void decodingNeedsTheSameRunsAndSaysSo() {
        Pruned p = prune(3, 3, 60, 4, 23, null);
        byte[] bytes = new CacheGenCodec().encode(p.kv(), BinConfig.level(1, 2), p.runs()).bytes();
        CacheGenException none = assertThrows(CacheGenException.class, () -> CacheGenCodec.decode(bytes));
        assertTrue(none.getMessage().contains("decode(data, runs)"), none.getMessage());
        long[] shifted = p.runs().positions().clone();
        shifted[shifted.length - 1]++;
        CacheGenException wrong = assertThrows(CacheGenException.class,
                () -> CacheGenCodec.decode(bytes, new TokenRuns(p.runs().keys(), shifted)));
        assertTrue(wrong.getMessage().contains("not the ones"), wrong.getMessage());
        assertThrows(CacheGenException.class, () -> new TokenRuns(new int[] {0, -2}, new long[] {0, 1}));
        assertThrows(CacheGenException.class, () -> new TokenRuns(new int[] {0}, new long[] {0, 1}));
    }

    @Test
    void codedOrderGathersEachKeyInTokenOrderAndGroupsNeverCrossRuns() {
        // tokens: text, text, (patch 1), (patch 0), text, (patch 1), (patch 0), text
        CodingOrder co = CodingOrder.of(new TokenRuns(new int[] {-1, -1, 1, 0, -1, 1, 0, -1},
                new long[] {0, 1, 2, 3, 4, 5, 6, 7}), 8);
        assertArrayEquals(new int[] {0, 1, 3, 6, 2, 5, 4, 7}, co.order);
        assertEquals(2, co.anchor(3, 0, 4), "patch 0 of the later frame anchors on the earlier");
        assertEquals(4, co.anchor(5, 0, 4), "patch 1 starts its own group");
        assertEquals(6, co.anchor(7, 0, 4), "text after the vision tokens groups from its start");
        assertEquals(3, co.anchor(3, 3, 4), "never before the chunk");
        assertEquals(3, co.delta(2, 5));
    }
}
