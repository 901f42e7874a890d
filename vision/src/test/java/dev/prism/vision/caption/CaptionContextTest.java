package dev.prism.vision.caption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.llm.generate.PositionPolicy;
import dev.prism.llm.kv.KvCache;
import dev.prism.llm.kv.LayerKv;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The CacheGen-coded context (ALGORITHMS.md 4): layers of different lengths, ragged heads, ids and positions. */
class CaptionContextTest {
    static KvCache ragged(Random rnd) {
        int layers = 5;
        int heads = 2;
        int d = 8;
        KvCache c = new KvCache(layers, heads, d);
        for (int l = 0; l < layers; l++) {
            int t = l < 2 ? 40 : 17; // stage C keeps layers 0-1 full, the rest hold the final set
            float[] k = new float[heads * t * d];
            float[] v = new float[heads * t * d];
            for (int i = 0; i < k.length; i++) {
                k[i] = (float) (rnd.nextGaussian() * (1 + l));
                v[i] = (float) rnd.nextGaussian();
            }
            long[] pos = new long[t];
            Arrays.setAll(pos, i -> 3 * i);
            c.layer(l).append(FloatBuffer.wrap(k), FloatBuffer.wrap(v), t, pos);
        }
        c.layer(3).gather(1, new int[] {0, 2, 5, 9}); // PLPHP: one head keeps fewer entries
        return c;
    }

    @Test
    void roundTripKeepsShapesIdsPositionsAndStaysWithinTheBinBound() {
        KvCache c = ragged(new Random(3));
        long[] prompt = {1, 5, 3, 3, 3, 9};
        long[] sampled = {40, 41, 2};
        CaptionContext.Encoded enc = CaptionContext.encode(new CaptionContext.State(77, true, 3,
                PositionPolicy.NEXT_ABSOLUTE, 46, 48, prompt, sampled, 1, c));
        CaptionContext.State s = CaptionContext.decode(enc.bytes(), 77);
        assertArrayEquals(prompt, s.promptIds());
        assertArrayEquals(sampled, s.sampled());
        assertEquals(1, s.pending());
        assertEquals(46, s.nextPos());
        assertEquals(48, s.seen());
        assertTrue(s.demo());
        int maxSym = 32 / 2 - 1; // level 3: 32 bins everywhere
        for (int l = 0; l < c.layers(); l++) {
            LayerKv a = c.layer(l);
            LayerKv b = s.cache().layer(l);
            for (int h = 0; h < 2; h++) {
                assertEquals(a.length(h), b.length(h));
                assertArrayEquals(a.positions(h), b.positions(h), "layer " + l + " head " + h + " (ragged layers too)");
                for (int e = 0; e < a.length(h); e++) {
                    double scale = 0;
                    for (int hh = 0; hh < 2; hh++) {
                        if (e < a.length(hh)) {
                            for (float x : a.key(hh, e)) {
                                scale = Math.max(scale, Math.abs(x));
                            }
                        }
                    }
                    float[] ka = a.key(h, e);
                    float[] kb = b.key(h, e);
                    for (int i = 0; i < ka.length; i++) {
                        assertTrue(Math.abs(ka[i] - kb[i]) <= scale * (1 + 0x1p-10) / (2 * maxSym) + 1e-5,
                                "layer " + l + " head " + h + " entry " + e + ": " + ka[i] + " vs " + kb[i]);
                    }
                }
            }
        }
        long values = 0;
        for (int l = 0; l < c.layers(); l++) {
            values += (c.layer(l).length(0) + c.layer(l).length(1)) * 8L * 2;
        }
        assertEquals(values * 2, enc.fp16Bytes());
        assertTrue(enc.cacheGenBytes() < enc.int8Bytes(), enc.cacheGenBytes() + " vs 8-bit " + enc.int8Bytes());
    }

    @Test
    void raggedLayersDecodeTheSameWhetherCodedHeadByHeadOrPaddedAndTheSmallerIsKept() {
        KvCache c = ragged(new Random(5));
        CaptionContext.State st = new CaptionContext.State(7, false, 3, PositionPolicy.NEXT_ABSOLUTE, 46, 48,
                new long[] {1, 2}, new long[] {3}, 1, c);
        long[] sizes = new long[3];
        for (CaptionContext.Ragged mode : CaptionContext.Ragged.values()) {
            CaptionContext.Encoded e = CaptionContext.encode(st, CaptionContext.Layout.NONE, mode);
            sizes[mode.ordinal()] = e.cacheGenBytes();
            KvCache back = CaptionContext.decode(e.bytes(), 7).cache();
            for (int l = 0; l < c.layers(); l++) {
                for (int h = 0; h < 2; h++) {
                    assertArrayEquals(c.layer(l).positions(h), back.layer(l).positions(h), mode + " layer " + l);
                    for (int i = 0; i < c.layer(l).length(h); i++) {
                        float[] a = c.layer(l).value(h, i);
                        float[] b = back.layer(l).value(h, i);
                        for (int j = 0; j < a.length; j++) {
                            // level 3: 32 bins, values within 4 sigma: a loose check that rows land in their heads
                            assertEquals(a[j], b[j], 0.5, mode + " layer " + l + " head " + h + " entry " + i);
                        }
                    }
                }
            }
        }
        assertEquals(Math.min(sizes[1], sizes[2]), sizes[0], "the smaller coding is kept: " + Arrays.toString(sizes));
        assertTrue(sizes[1] != sizes[2], "the two codings differ: " + Arrays.toString(sizes));
    }

    @Test
    void rejectsOtherModelsTruncationAndCorruption() {
        KvCache c = ragged(new Random(4));
        byte[] b = CaptionContext.encode(new CaptionContext.State(5, false, 2, PositionPolicy.OWN_CACHE_LENGTH, 10, 10,
                new long[] {1}, new long[] {2}, 1, c)).bytes();
        assertTrue(assertThrows(CaptionException.class, () -> CaptionContext.decode(b, 6)).getMessage()
                .contains("another model"));
        for (int cut : new int[] {3, 20, b.length / 2, b.length - 1}) {
            CaptionException e = assertThrows(CaptionException.class,
                    () -> CaptionContext.decode(Arrays.copyOf(b, cut), 5), "cut at " + cut);
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("CacheGen")
                    || e.getMessage().contains("corrupt"), e.getMessage());
        }
        byte[] bad = b.clone();
        bad[bad.length - 10] ^= 1;
        assertThrows(RuntimeException.class, () -> CaptionContext.decode(bad, 5));
    }

    @Test
    void patchKeysAndStageBRowsGiveDeltaRunsThatShrinkTheContextAndDecodeExactly() {
        int sys = 3;
        int frames = 4;
        int patches = 60;
        int n = sys + frames * patches + 5;
        int heads = 2;
        int d = 8;
        int layers = 4;
        Random rnd = new Random(11);
        int[] keys = new int[n];
        Arrays.fill(keys, -1);
        for (int f = 0; f < frames; f++) {
            for (int p = 0; p < patches; p++) {
                keys[sys + f * patches + p] = p;
            }
        }
        // stage B at layer 1 keeps the text and ~60% of the vision tokens for layers 2-3, renumbered 0..k-1
        int[] kept = java.util.stream.IntStream.range(0, n).filter(i -> keys[i] < 0 || rnd.nextDouble() < 0.6).toArray();
        int[][] rows = {null, null, kept, kept};
        float[] inv = dev.prism.codecs.cachegen.KeyRope.standard(10000, d).inverseFrequencies();
        float[][][][] base = new float[layers][heads][patches + n][d];
        for (float[][][] l : base) {
            for (float[][] h : l) {
                for (float[] v : h) {
                    for (int i = 0; i < d; i++) {
                        v[i] = (float) (2 * rnd.nextGaussian());
                    }
                }
            }
        }
        KvCache c = new KvCache(layers, heads, d);
        for (int l = 0; l < layers; l++) {
            int[] r = rows[l] == null ? java.util.stream.IntStream.range(0, n).toArray() : rows[l];
            int t = r.length;
            float[] k = new float[heads * t * d];
            float[] v = new float[heads * t * d];
            long[] pos = new long[t];
            for (int q = 0; q < t; q++) {
                pos[q] = q;
                int prompt = r[q];
                for (int h = 0; h < heads; h++) {
                    float[] kk = new float[d];
                    for (int i = 0; i < d; i++) {
                        // a vision token is its patch's vector plus a little noise; text is its own vector
                        int src = keys[prompt] >= 0 ? keys[prompt] : patches + prompt;
                        kk[i] = base[l][h][src][i] + (float) (0.05 * rnd.nextGaussian());
                        v[(h * t + q) * d + i] = base[l][(h + 1) % heads][src][i] + (float) (0.05 * rnd.nextGaussian());
                    }
                    dev.prism.llm.kv.PreRopeKeys.rotate(new float[][][] {{kk}}, new long[] {q},
                            dev.prism.llm.model.RopeScaling.none(10000, d), n); // as the decoder caches keys
                    System.arraycopy(kk, 0, k, (h * t + q) * d, d);
                }
            }
            c.layer(l).append(FloatBuffer.wrap(k), FloatBuffer.wrap(v), t, pos);
        }
        int[] ragged = java.util.stream.IntStream.range(0, c.layer(3).length(1)).filter(i -> i % 3 != 1).toArray();
        c.layer(3).gather(1, ragged); // PLPHP: head 1 of layer 3 keeps fewer entries
        long[] prompt = new long[n];
        CaptionContext.State st = new CaptionContext.State(9, true, 1, PositionPolicy.NEXT_ABSOLUTE, kept.length,
                kept.length, prompt, new long[0], 0, c);
        CaptionContext.Encoded plain = CaptionContext.encode(st);
        CaptionContext.Layout layout = new CaptionContext.Layout(keys, rows, new dev.prism.codecs.cachegen.KeyRope(inv));
        CaptionContext.Encoded runs = CaptionContext.encode(st, layout);
        assertTrue(runs.cacheGenBytes() < 0.8 * plain.cacheGenBytes(), "runs " + runs.cacheGenBytes() + " vs "
                + plain.cacheGenBytes());
        CaptionContext.Encoded unturned = CaptionContext.encode(st, new CaptionContext.Layout(keys, rows, null));
        assertTrue(runs.cacheGenBytes() < unturned.cacheGenBytes(), "RoPE-turned key anchors " + runs.cacheGenBytes()
                + " vs " + unturned.cacheGenBytes());
        assertEquals(plain.int8Bytes(), runs.int8Bytes(), "the 8-bit baseline does not depend on the coding");
        KvCache back = CaptionContext.decode(runs.bytes(), 9).cache();
        int[] keyBins = dev.prism.codecs.cachegen.BinConfig.level(1, layers).keyBins();
        for (int l = 0; l < layers; l++) {
            int maxSym = keyBins[l] / 2 - 1;
            boolean raggedLayer = l == 3;
            for (int h = 0; h < heads; h++) {
                assertArrayEquals(c.layer(l).positions(h), back.layer(l).positions(h), "layer " + l + " head " + h);
                for (int e = 0; e < c.layer(l).length(h); e++) {
                    // the sent scale: the token's abs-max over every head, or over its own head in a ragged layer
                    double scale = 0;
                    for (int hh = 0; hh < heads; hh++) {
                        if (raggedLayer ? hh == h : e < c.layer(l).length(hh)) {
                            for (float x : c.layer(l).key(hh, e)) {
                                scale = Math.max(scale, Math.abs(x));
                            }
                        }
                    }
                    float[] a = c.layer(l).key(h, e);
                    float[] b = back.layer(l).key(h, e);
                    for (int i = 0; i < d; i++) {
                        assertTrue(Math.abs(a[i] - b[i]) <= scale * (1 + 0x1p-10) / (2 * maxSym) + 1e-5, "layer " + l
                                + " head " + h + " entry " + e + ": " + a[i] + " vs " + b[i]);
                    }
                }
            }
        }
        // the runs come from the stored metadata: a context whose keys were tampered with is refused, not misread
        byte[] tampered = runs.bytes().clone();
        // header, prompt ids (varint count, n one-byte ids), sampled count, pending, patch key count, then the keys
        int at = 4 + 1 + 1 + 4 + 1 + 1 + 8 + 8 + 12 + 2 + n + 1 + 1 + 2 + sys;
        assertEquals(1, tampered[at], "the first vision token's patch key (0) is stored as 1");
        tampered[at] = 3;
        String m = assertThrows(CaptionException.class, () -> CaptionContext.decode(tampered, 9)).getMessage();
        assertTrue(m.contains("not the ones"), m);
    }
}
