package dev.prism.codecs.cachegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheGenCodecTest {
    static final int LAYERS = 12;

    /**
     * Largest |x - x'| allowed for one value: half a quantization step of its token's transmitted scale (the abs-max
     * rounded up to fp16, the default), plus float rounding.
     */
    static void assertWithinBinBound(KvCache in, KvCache out, BinConfig bins) {
        assertWithinBinBound(in, out, bins, true);
    }

    static void assertWithinBinBound(KvCache in, KvCache out, BinConfig bins, boolean halfScales) {
        for (int kind = 0; kind < 2; kind++) {
            for (int l = 0; l < in.layers(); l++) {
                float[][][] a = kind == 0 ? in.keys()[l] : in.values()[l];
                float[][][] b = kind == 0 ? out.keys()[l] : out.values()[l];
                int max = (kind == 0 ? bins.keyBins()[l] : bins.valueBins()[l]) / 2 - 1;
                for (int t = 0; t < in.tokens(); t++) {
                    float m = 0;
                    for (float[][] head : a) {
                        for (float x : head[t]) {
                            m = Math.max(m, Math.abs(x));
                        }
                    }
                    float sent = halfScales ? HalfScale.toFloat(HalfScale.roundUp(m)) : m;
                    assertTrue(sent <= m * (1 + 0x1p-10) + 1e-7, "fp16 scale " + sent + " vs abs-max " + m);
                    double bound = sent / (2.0 * max) * (1 + 1e-5) + 1e-7;
                    for (int h = 0; h < a.length; h++) {
                        for (int i = 0; i < a[h][t].length; i++) {
                            double err = Math.abs(a[h][t][i] - b[h][t][i]);
                            assertTrue(err <= bound, "layer " + l + " token " + t + ": error " + err + " > " + bound);
                        }
                    }
                }
            }
        }
    }

    @Test
    void roundTripStaysWithinTheBinBoundAtEveryLevel() {
        KvCache kv = SyntheticKvCache.generate(LAYERS, 2, 300, 16, 1);
        CacheGenCodec codec = new CacheGenCodec();
        double[] err = new double[4];
        for (int level = 1; level <= 3; level++) {
            BinConfig bins = BinConfig.level(level, LAYERS);
            CacheGenCodec.Encoded e = codec.encode(kv, bins);
            KvCache back = CacheGenCodec.decode(e.bytes());
            assertWithinBinBound(kv, back, bins);
            err[level] = relativeL2(kv, back);
            KvCache exact = CacheGenCodec.decode(new CacheGenCodec(CacheGenCodec.Options.reference()).encode(kv, bins)
                    .bytes());
            assertWithinBinBound(kv, exact, bins, false);
        }
        assertTrue(err[3] < err[2] && err[2] < err[1], "more bins, less error: " + java.util.Arrays.toString(err));
    }

    @Test
    void codedPayloadIsWithinOnePercentOfTheSymbolEntropy() {
        KvCache kv = SyntheticKvCache.generate(6, 4, 256, 32, 2);
        CacheGenCodec.Encoded e = new CacheGenCodec().encode(kv, BinConfig.level(2, 6));
        CacheGenCodec.Stats s = e.stats();
        assertTrue(s.overheadVsEntropy() <= 1.01, "payload/entropy = " + s.overheadVsEntropy());
        assertTrue(s.payloadBytes() * 8.0 >= s.shannonBits() * 0.999, "cannot beat the entropy");
        // and the whole container, side information included, is far below 8-bit quantization
        long eightBit = kv.fp16Bytes() / 2;
        assertTrue(e.bytes().length * 2 < eightBit, e.bytes().length + " bytes vs 8-bit " + eightBit);
    }

    @Test
    void perChannelStreamsRoundTripIdenticallyAtAHigherFlushCost() {
        KvCache kv = SyntheticKvCache.generate(3, 2, 100, 8, 3);
        BinConfig bins = BinConfig.family7B(3);
        CacheGenCodec.Encoded perLayer = new CacheGenCodec().encode(kv, bins);
        CacheGenCodec.Encoded perChannel = new CacheGenCodec(
                new CacheGenCodec.Options(256, 256, StreamGranularity.PER_CHANNEL)).encode(kv, bins);
        assertEquals(perLayer.stats().shannonBits(), perChannel.stats().shannonBits(), 1e-6);
        assertTrue(perChannel.bytes().length > perLayer.bytes().length);
        assertCachesEqual(CacheGenCodec.decode(perLayer.bytes()), CacheGenCodec.decode(perChannel.bytes()));
    }

    @Test
    void chunksOf256WithShortSubStreamsAndMixedLevelsDecode() {
        KvCache kv = SyntheticKvCache.generate(4, 2, 600, 8, 4);
        CacheGenCodec codec = new CacheGenCodec(new CacheGenCodec.Options(256, 100, StreamGranularity.PER_LAYER));
        List<List<CacheGenCodec.Chunk>> levels = codec.encodeLevels(kv);
        assertEquals(3, levels.get(0).size());
        assertEquals(88, levels.get(0).get(2).tokens());
        List<CacheGenCodec.Chunk> mixed = new ArrayList<>(List.of(levels.get(2).get(0), levels.get(0).get(1),
                levels.get(1).get(2)));
        KvCache back = CacheGenCodec.decode(CacheGenCodec.assemble(kv, mixed).bytes());
        KvCache l3 = CacheGenCodec.decode(CacheGenCodec.assemble(kv, levels.get(2)).bytes());
        KvCache l1 = CacheGenCodec.decode(CacheGenCodec.assemble(kv, levels.get(0)).bytes());
        assertArrayEquals(l3.keys()[1][1][10], back.keys()[1][1][10], "chunk 0 decoded at level 3");
        assertArrayEquals(l1.values()[3][0][300], back.values()[3][0][300], "chunk 1 decoded at level 1");
        assertTrue(levels.get(0).get(0).bytes().length < levels.get(2).get(0).bytes().length);
        assertThrows(CacheGenException.class, () -> CacheGenCodec.assemble(kv, List.of(levels.get(0).get(1))));
    }

    @Test
    void quantizationFollowsTheFormulaAndTheCdfHasNoZeroWidthSymbol() {
        float[][][] layer = {{{1.0f, -0.5f, 0.25f, 0f}, {0f, 0f, 0f, 0f}}};
        byte[][] sym = new byte[2][4];
        float[] scales = new float[2];
        LayerQuantizer.quantize(layer, 0, 2, 16, sym, scales);
        // MAX = 7: round(x * 7 / 1 + 7) with half-even: 14, round(3.5) = 4, round(8.75) = 9, 7
        assertArrayEquals(new byte[] {14, 4, 9, 7}, sym[0]);
        assertArrayEquals(new byte[] {7, 7, 7, 7}, sym[1], "an all-zero token codes as MAX");
        assertEquals(0f, scales[1]);
        int[] f = LayerQuantizer.cdfFrequencies(new long[] {0, 10, 0, 30}, 6);
        assertEquals(65535, java.util.Arrays.stream(f).sum());
        for (int x : f) {
            assertTrue(x >= 1);
        }
        // cdf = [0, 1, floor(65529 * 10 / 40) + 2, ... ]
        assertEquals(1, f[0]);
        assertEquals(65529 * 10 / 40 + 2 - 1, f[1]);
    }

    static double relativeL2(KvCache a, KvCache b) {
        double num = 0;
        double den = 0;
        for (int kind = 0; kind < 2; kind++) {
            float[][][][] x = kind == 0 ? a.keys() : a.values();
            float[][][][] y = kind == 0 ? b.keys() : b.values();
            for (int l = 0; l < x.length; l++) {
                for (int h = 0; h < x[l].length; h++) {
                    for (int t = 0; t < x[l][h].length; t++) {
                        for (int i = 0; i < x[l][h][t].length; i++) {
                            double d = x[l][h][t][i] - y[l][h][t][i];
                            num += d * d;
                            den += (double) x[l][h][t][i] * x[l][h][t][i];
                        }
                    }
                }
            }
        }
        return Math.sqrt(num / den);
    }

    static void assertCachesEqual(KvCache a, KvCache b) {
        for (int l = 0; l < a.layers(); l++) {
            for (int h = 0; h < a.kvHeads(); h++) {
                for (int t = 0; t < a.tokens(); t++) {
                    assertArrayEquals(a.keys()[l][h][t], b.keys()[l][h][t], 0f);
                    assertArrayEquals(a.values()[l][h][t], b.values()[l][h][t], 0f);
                }
            }
        }
    }
}
