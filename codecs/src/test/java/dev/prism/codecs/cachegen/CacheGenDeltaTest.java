package dev.prism.codecs.cachegen;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CacheGenDeltaTest {
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

    @Test
    void deltaModeCutsTheEntropyOfCorrelatedTokensAtTheAnchorsErrorBound() {
        int g = 10;
        KvCache kv = slowlyVarying(2, 2, 200, 16, 1);
        BinConfig bins = BinConfig.level(2, 2);
        CacheGenCodec.Encoded plain = new CacheGenCodec().encode(kv, bins);
        CacheGenCodec.Encoded delta = new CacheGenCodec(new CacheGenCodec.Options(256, 256,
                StreamGranularity.PER_LAYER, g)).encode(kv, bins);
        assertTrue(delta.stats().shannonBits() < 0.9 * plain.stats().shannonBits(),
                delta.stats().shannonBits() + " vs " + plain.stats().shannonBits());
        assertTrue(delta.stats().overheadVsEntropy() <= 1.01);
        KvCache back = CacheGenCodec.decode(delta.bytes());
        for (int kind = 0; kind < 2; kind++) {
            for (int l = 0; l < 2; l++) {
                float[][][] x = kind == 0 ? kv.keys()[l] : kv.values()[l];
                float[][][] y = kind == 0 ? back.keys()[l] : back.values()[l];
                int max = (kind == 0 ? bins.keyBins()[l] : bins.valueBins()[l]) / 2 - 1;
                for (int t = 0; t < 200; t++) {
                    int a = t - t % g;
                    double s = 0;
                    double r = 0;
                    for (int h = 0; h < 2; h++) {
                        for (int i = 0; i < 16; i++) {
                            s = Math.max(s, Math.abs(x[h][a][i]));
                            r = Math.max(r, Math.abs(x[h][t][i] - y[h][a][i]));
                        }
                    }
                    double bound = (t == a ? s : Math.max(s, r)) / (2.0 * max) * (1 + 1e-5) + 1e-6;
                    for (int h = 0; h < 2; h++) {
                        for (int i = 0; i < 16; i++) {
                            double err = Math.abs(x[h][t][i] - y[h][t][i]);
                            assertTrue(err <= bound, "token " + t + ": " + err + " > " + bound);
                        }
                    }
                }
            }
        }
    }
}
