package dev.prism.codecs.cachegen;

import java.util.Random;

/**
 * A generated KV cache with the statistics real LLM caches show, for tests and benchmarks: keys have a per-channel
 * bias and log-normal per-channel magnitudes with a few outlier channels (about 10x), values are closer to isotropic;
 * both are correlated across neighbouring tokens (AR(1), rho 0.9 for K, 0.7 for V) and grow with depth. The exact
 * figures are a Prism modelling choice, not measurements of a particular model.
 */
public final class SyntheticKvCache {
    private SyntheticKvCache() {
    }

    public static KvCache generate(int layers, int kvHeads, int tokens, int headDim, long seed) {
        Random rnd = new Random(seed);
        KvCache kv = KvCache.zeros(layers, kvHeads, tokens, headDim);
        for (int l = 0; l < layers; l++) {
            double depth = 1 + 2.0 * l / Math.max(1, layers - 1);
            fill(kv.keys()[l], rnd, 0.9, depth, true);
            fill(kv.values()[l], rnd, 0.7, 0.5 * depth, false);
        }
        return kv;
    }

    private static void fill(float[][][] layer, Random rnd, double rho, double depth, boolean keys) {
        int heads = layer.length;
        int tokens = layer[0].length;
        int d = layer[0][0].length;
        double innov = Math.sqrt(1 - rho * rho);
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < d; i++) {
                double scale = depth * Math.exp(0.5 * rnd.nextGaussian()) * (keys && rnd.nextDouble() < 0.03 ? 10 : 1);
                double bias = keys ? scale * rnd.nextGaussian() : 0;
                double state = rnd.nextGaussian();
                for (int t = 0; t < tokens; t++) {
                    state = rho * state + innov * rnd.nextGaussian();
                    layer[h][t][i] = (float) (bias + scale * state);
                }
            }
        }
    }
}
