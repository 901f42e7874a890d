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
                if (l != 3) {
                    assertArrayEquals(a.positions(h), b.positions(h));
                }
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
}
