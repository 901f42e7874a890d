package dev.prism.codecs.cachegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CacheGenDeltaTest {
    static final CacheGenCodec PLAIN = new CacheGenCodec(CacheGenCodec.Options.defaults().withDeltaGroup(0));

    /**
     * Channels that wander far over the chunk but change little between neighbouring tokens: the per-channel CDFs of
     * plain CacheGen see a wide spread, the residuals from a nearby anchor do not (what delta coding is meant for).
     */
    static KvCache slowlyVarying(int layers, int heads, int tokens, int dim, long seed) {
        Random rnd = new Random(seed);
        KvCache kv = KvCache.zeros(layers, heads, tokens, dim);
        for (float[][][][] part : new float[][][][][] {kv.keys(), kv.values()}) {
            for (float[][][] layer : part) {
                for (float[][] head : layer) {
                    for (int i = 0; i < dim; i++) {
                        double level = 3 * rnd.nextGaussian();
                        for (int t = 0; t < tokens; t++) {
                            level += 0.5 * rnd.nextGaussian();
                            head[t][i] = (float) (level + 0.02 * rnd.nextGaussian());
                        }
                    }
                }
            }
        }
        return kv;
    }

    /**
     * A video prompt: {@code prefix} text tokens, then frames x patches where each patch keeps its own random vector
     * from frame to frame up to small noise while neighbouring patches are independent, then {@code suffix} tokens.
     * Layer 0 of K and V is made independent across frames, so the per-layer choice has something to refuse.
     */
    static KvCache video(int prefix, int frames, int patches, int suffix, long seed) {
        Random rnd = new Random(seed);
        int tokens = prefix + frames * patches + suffix;
        KvCache kv = KvCache.zeros(2, 2, tokens, 8);
        for (float[][][][] part : new float[][][][][] {kv.keys(), kv.values()}) {
            for (int l = 0; l < 2; l++) {
                for (float[][] head : part[l]) {
                    for (int i = 0; i < 8; i++) {
                        for (int t = 0; t < tokens; t++) {
                            head[t][i] = (float) rnd.nextGaussian();
                        }
                        for (int p = 0; l == 1 && p < patches; p++) {
                            double base = 2 * rnd.nextGaussian();
                            for (int f = 0; f < frames; f++) {
                                head[prefix + f * patches + p][i] = (float) (base + 0.05 * rnd.nextGaussian());
                            }
                        }
                    }
                }
            }
        }
        return kv;
    }

    @Test
    void deltaIsChosenWhereItPaysAndKeepsEachTokensOwnBinBound() {
        KvCache kv = slowlyVarying(2, 2, 200, 16, 1);
        BinConfig bins = BinConfig.level(2, 2);
        CacheGenCodec.Encoded plain = PLAIN.encode(kv, bins);
        CacheGenCodec.Encoded delta = new CacheGenCodec(CacheGenCodec.Options.defaults().withDeltaGroup(10))
                .encode(kv, bins);
        assertTrue(delta.stats().shannonBits() < 0.9 * plain.stats().shannonBits(),
                delta.stats().shannonBits() + " vs " + plain.stats().shannonBits());
        assertTrue(delta.bytes().length < 0.9 * plain.bytes().length);
        assertTrue(delta.stats().overheadVsEntropy() <= 1.01, "payload/entropy " + delta.stats().overheadVsEntropy());
        CacheGenCodecTest.assertWithinBinBound(kv, CacheGenCodec.decode(delta.bytes()), bins);
    }

    @Test
    void perLayerChoiceIsNeverLargerThanPlain() {
        KvCache[] caches = {video(5, 3, 40, 7, 2), SyntheticKvCache.generate(3, 2, 300, 16, 3),
            slowlyVarying(2, 2, 300, 8, 4)};
        for (KvCache kv : caches) {
            for (int level = 1; level <= 3; level++) {
                BinConfig bins = BinConfig.level(level, kv.layers());
                long plain = PLAIN.encode(kv, bins).bytes().length;
                for (int g : new int[] {2, 4, 10, 16}) {
                    CacheGenCodec codec = new CacheGenCodec(CacheGenCodec.Options.defaults().withDeltaGroup(g));
                    CacheGenCodec.Encoded e = codec.encode(kv, bins);
                    assertTrue(e.bytes().length <= plain, "G " + g + ": " + e.bytes().length + " > plain " + plain);
                    CacheGenCodecTest.assertWithinBinBound(kv, CacheGenCodec.decode(e.bytes()), bins);
                }
            }
        }
    }

    @Test
    void patchMajorLayoutAnchorsOnTheSamePatchOfTheEarlierFrame() {
        TokenOrder layout = new TokenOrder(5, 3, 40);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 45, 85, 6, 46, 86}, java.util.Arrays.copyOf(
                layout.permutation(132), 11));
        // coded positions 5..7 hold patch 0 of frames 0..2: both later frames anchor on frame 0 with G >= 3
        assertEquals(5, TokenOrder.anchor(layout, 7, 0, 4));
        assertEquals(8, TokenOrder.anchor(layout, 9, 0, 4), "a new patch starts a new group");
        assertEquals(7, TokenOrder.anchor(layout, 7, 0, 2));
        assertEquals(125, TokenOrder.anchor(layout, 126, 0, 4), "text after the block groups from its start");
        assertEquals(102, TokenOrder.anchor(layout, 103, 102, 4), "a chunk cutting a run starts a new group");

        KvCache kv = video(5, 3, 200, 7, 5);
        BinConfig bins = BinConfig.level(2, 2);
        CacheGenCodec codec = new CacheGenCodec();
        CacheGenCodec.Encoded raster = codec.encode(kv, bins);
        CacheGenCodec.Encoded ordered = codec.encode(kv, bins, new TokenOrder(5, 3, 200));
        assertTrue(ordered.bytes().length < 0.9 * raster.bytes().length, ordered.bytes().length + " vs raster "
                + raster.bytes().length);
        KvCache back = CacheGenCodec.decode(ordered.bytes());
        CacheGenCodecTest.assertWithinBinBound(kv, back, bins);
        assertTrue(ordered.stats().overheadVsEntropy() <= 1.01, "payload/entropy " + ordered.stats().overheadVsEntropy());
        // without delta the layout only reorders: the same values come back
        CacheGenCodec plain = new CacheGenCodec(CacheGenCodec.Options.defaults().withDeltaGroup(0));
        CacheGenCodecTest.assertCachesEqual(CacheGenCodec.decode(plain.encode(kv, bins).bytes()),
                CacheGenCodec.decode(plain.encode(kv, bins, new TokenOrder(5, 3, 200)).bytes()));
    }

    @Test
    void decoderReproducesTheEncodersClosedLoopReconstructionBitForBit() {
        KvCache kv = video(3, 2, 30, 0, 6);
        TokenOrder layout = new TokenOrder(3, 2, 30);
        int[] order = layout.permutation(kv.tokens());
        int n = kv.tokens();
        float[][][] layer = kv.values()[1];
        float[] scales = new float[n];
        float[][] x = new float[2][];
        for (int i = 0; i < n; i++) {
            x[0] = layer[0][order[i]];
            x[1] = layer[1][order[i]];
            scales[i] = HalfScale.toFloat(HalfScale.roundUp(LayerQuantizer.absMax(x)));
        }
        int bins = 16;
        LayerCode lc = LayerCode.code(layer, CodingOrder.of(layout, n), 0, n, scales, bins, 2, null);
        assertTrue(lc.residualCount > 20, "residuals " + lc.residualCount);
        // the reconstruction written out from the formulas: plain x' = (q - MAX) / MAX * m, residual anchor' + that
        float[][] expected = new float[n][16];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 16; c++) {
                float v = ((lc.symbols[i][c] & 0xFF) - 7) / 7f * lc.scales[i];
                expected[i][c] = lc.residual[i] ? expected[TokenOrder.anchor(layout, i, 0, 2)][c] + v : v;
            }
        }
        CacheGenCodec codec = new CacheGenCodec(CacheGenCodec.Options.defaults().withDeltaGroup(2).withChunkTokens(n));
        KvCache back = CacheGenCodec.decode(codec.encode(kv, BinConfig.grouped(2, 2, 2, 2, 16, 16, 16, 16, 16), layout)
                .bytes());
        for (int i = 0; i < n; i++) {
            for (int h = 0; h < 2; h++) {
                assertArrayEquals(java.util.Arrays.copyOfRange(expected[i], h * 8, h * 8 + 8),
                        back.values()[1][h][order[i]], "coded position " + i);
            }
        }
    }

    @Test
    void halfScalesRoundUpAndHugeScalesFallBackToFloat() {
        Random rnd = new Random(7);
        for (int i = 0; i < 10000; i++) {
            float m = (float) Math.exp(rnd.nextGaussian() * 8);
            if (m > HalfScale.MAX) {
                continue;
            }
            float h = HalfScale.toFloat(HalfScale.roundUp(m));
            assertTrue(h >= m && (h <= m * (1 + 0x1p-10) || h - m <= 0x1p-24f), m + " -> " + h);
        }
        assertEquals(0f, HalfScale.toFloat(HalfScale.roundUp(0f)));
        assertEquals(HalfScale.MAX, HalfScale.toFloat(HalfScale.roundUp(HalfScale.MAX)));
        KvCache kv = SyntheticKvCache.generate(2, 2, 50, 8, 8);
        kv.keys()[1][0][7][3] = 1e6f;
        BinConfig bins = BinConfig.level(3, 2);
        CacheGenCodec.Encoded e = new CacheGenCodec().encode(kv, bins);
        CacheGenCodecTest.assertWithinBinBound(kv, CacheGenCodec.decode(e.bytes()), bins, false);
        CacheGenCodec.Encoded fp16 = new CacheGenCodec().encode(SyntheticKvCache.generate(2, 2, 50, 8, 8), bins);
        assertTrue(fp16.bytes().length + 2 * 2 * 50 <= e.bytes().length + 64, "fp16 scales save 2 bytes per scale");
    }

    /** The video cache with its keys turned by RoPE at their token index, as a model's cache holds them. */
    static KvCache roped(KvCache kv, KeyRope rope) {
        for (float[][][] layer : kv.keys()) {
            for (float[][] head : layer) {
                for (int t = 0; t < head.length; t++) {
                    turn(head[t], t, rope);
                }
            }
        }
        return kv;
    }

    /** Turns one key in place by RoPE at {@code position} (rotate-half pairs). */
    static void turn(float[] k, long position, KeyRope rope) {
        int half = rope.inverseFrequencies().length;
        for (int i = 0; i < half; i++) {
            double a = position * (double) rope.inverseFrequencies()[i];
            float x = k[i];
            float y = k[i + half];
            k[i] = (float) (x * Math.cos(a) - y * Math.sin(a));
            k[i + half] = (float) (y * Math.cos(a) + x * Math.sin(a));
        }
    }

    @Test
    void ropeTurnedAnchorsRecoverTheKeysFrameCorrelationWithinThePlainBound() {
        KeyRope rope = KeyRope.standard(10000, 8);
        TokenOrder layout = new TokenOrder(5, 3, 200);
        KvCache kv = roped(video(5, 3, 200, 7, 9), rope);
        BinConfig bins = BinConfig.level(2, 2);
        CacheGenCodec codec = new CacheGenCodec();
        CacheGenCodec.Encoded plainAnchors = codec.encode(kv, bins, layout);
        CacheGenCodec.Encoded turned = codec.encode(kv, bins, layout, rope);
        assertTrue(turned.bytes().length < 0.92 * plainAnchors.bytes().length, turned.bytes().length + " vs "
                + plainAnchors.bytes().length);
        assertTrue(turned.stats().overheadVsEntropy() <= 1.01, "payload/entropy " + turned.stats().overheadVsEntropy());
        KvCache back = CacheGenCodec.decode(turned.bytes());
        CacheGenCodecTest.assertWithinBinBound(kv, back, bins);
        // the values are coded as without RoPE: only the key prediction changes
        CacheGenCodecTest.assertCachesEqual(new KvCache(back.values(), back.values()),
                new KvCache(CacheGenCodec.decode(plainAnchors.bytes()).values(),
                        CacheGenCodec.decode(plainAnchors.bytes()).values()));
    }
}
