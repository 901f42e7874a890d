package dev.prism.codecs.cachegen;

import java.util.Arrays;

/**
 * Bins per layer for K and for V (ALGORITHMS.md 4.2 table). Group boundaries are absolute layer indices as in the
 * reference (K: [0,a), [a,b), [b,end); V: [0,c), rest), so a model shallower than a keeps only the first group.
 * Shallow layers get more bins because they are more sensitive; K gets at least as many as V.
 */
public record BinConfig(int[] keyBins, int[] valueBins) {
    public BinConfig {
        CacheGenException.check(keyBins.length == valueBins.length && keyBins.length > 0,
                "bin config needs one K and one V bin count per layer");
        for (int b : keyBins) {
            checkBins(b);
        }
        for (int b : valueBins) {
            checkBins(b);
        }
        keyBins = keyBins.clone();
        valueBins = valueBins.clone();
    }

    private static void checkBins(int b) {
        CacheGenException.check(b >= 4 && b <= 256 && b % 2 == 0, "bin count " + b
                + " must be even and in [4, 256] (MAX = b/2 - 1 must be positive, symbols fit a byte)");
    }

    public static BinConfig grouped(int layers, int a, int b, int c, int k0, int k1, int k2, int v0, int v1) {
        int[] kb = new int[layers];
        int[] vb = new int[layers];
        for (int l = 0; l < layers; l++) {
            kb[l] = l < a ? k0 : l < b ? k1 : k2;
            vb[l] = l < c ? v0 : v1;
        }
        return new BinConfig(kb, vb);
    }

    /** 7B/8B/9B family: K 32 below layer 10, 16 after; V 32 below layer 2, 16 after. */
    public static BinConfig family7B(int layers) {
        return grouped(layers, 10, 20, 2, 32, 16, 16, 32, 16);
    }

    /** 70B family. */
    public static BinConfig family70B(int layers) {
        return grouped(layers, 20, 40, 20, 32, 32, 16, 32, 16);
    }

    /** Mistral QUANT_LEVEL 1 (smallest), 2 (run_cachegen default) or 3 (best), with the 7B group boundaries. */
    public static BinConfig level(int level, int layers) {
        return switch (level) {
            case 1 -> grouped(layers, 10, 20, 2, 16, 16, 12, 16, 12);
            case 2 -> grouped(layers, 10, 20, 2, 32, 16, 16, 32, 16);
            case 3 -> grouped(layers, 10, 20, 2, 32, 32, 32, 32, 32);
            default -> throw new CacheGenException("quality level " + level + " does not exist: use 1, 2 or 3");
        };
    }

    public int layers() {
        return keyBins.length;
    }

    /** Bins of "layer" i of the 2L sequence K layers then V layers (ALGORITHMS.md 4.3 step 1). */
    public int bins(int kvLayer) {
        return kvLayer < keyBins.length ? keyBins[kvLayer] : valueBins[kvLayer - keyBins.length];
    }

    public int maxBins() {
        return Math.max(Arrays.stream(keyBins).max().orElseThrow(), Arrays.stream(valueBins).max().orElseThrow());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinConfig b && Arrays.equals(keyBins, b.keyBins) && Arrays.equals(valueBins, b.valueBins);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(keyBins) + Arrays.hashCode(valueBins);
    }

    @Override
    public String toString() {
        return "BinConfig[K=" + Arrays.toString(keyBins) + ", V=" + Arrays.toString(valueBins) + "]";
    }
}
