package dev.prism.vision.pruning;

import java.util.Arrays;

/**
 * MustDrop stage A2, the key token set (ALGORITHMS.md section 1.1, A2): average the last ViT layer's CLS-query
 * attention over the patch keys across heads and keep the top ceil(keepRate * (N-1)) patches (keepRate 0.08, hard-coded
 * in the reference, a parameter here). Indices are in post-merge patch order, which is the order the projector and the
 * LLM receive. These tokens are never dropped by stage B.
 */
public final class KeyTokenSelector {
    public static final double DEFAULT_KEEP_RATE = 0.08;

    private final double keepRate;

    public KeyTokenSelector() {
        this(DEFAULT_KEEP_RATE);
    }

    public KeyTokenSelector(double keepRate) {
        PruningInputException.check(keepRate >= 0 && keepRate <= 1, "keepRate " + keepRate + " must be in [0, 1]");
        this.keepRate = keepRate;
    }

    /** Key count for {@code patches} post-merge patch tokens: ceil(keepRate * patches), computed as the reference does. */
    public int keyCount(int patches) {
        return (int) Math.min(patches, Math.ceil(keepRate * patches));
    }

    /**
     * @param clsToPatch per head, the CLS row of the last layer's attention restricted to patch keys: [heads][N-1]
     * @return ascending patch indices of the key set
     */
    public int[] select(float[][] clsToPatch) {
        PruningInputException.checkMatrix(clsToPatch, "clsToPatch");
        int n = clsToPatch[0].length;
        float[] mean = new float[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (float[] head : clsToPatch) {
                s += head[j];
            }
            mean[j] = (float) (s / clsToPatch.length);
        }
        return selectFromMean(mean);
    }

    /** Same as {@link #select} for an attention row already averaged over heads. */
    public int[] selectFromMean(float[] meanClsToPatch) {
        PruningInputException.check(meanClsToPatch != null && meanClsToPatch.length > 0,
                "meanClsToPatch is empty: pass the CLS attention over the post-merge patches");
        int n = meanClsToPatch.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> meanClsToPatch[a] != meanClsToPatch[b]
                ? Float.compare(meanClsToPatch[b], meanClsToPatch[a]) : Integer.compare(a, b));
        int k = keyCount(n);
        int[] keys = new int[k];
        for (int i = 0; i < k; i++) {
            keys[i] = idx[i];
        }
        Arrays.sort(keys);
        return keys;
    }

    /** Multi-image input (A2.4): image i's key indices are offset by i * tokensPerImage and concatenated. */
    public static int[] concatWithOffsets(int[][] keysPerImage, int tokensPerImage) {
        int total = 0;
        for (int[] k : keysPerImage) {
            total += k.length;
        }
        int[] out = new int[total];
        int o = 0;
        for (int i = 0; i < keysPerImage.length; i++) {
            for (int k : keysPerImage[i]) {
                PruningInputException.check(k >= 0 && k < tokensPerImage,
                        "key index " + k + " of image " + i + " is outside [0, " + tokensPerImage + ")");
                out[o++] = k + i * tokensPerImage;
            }
        }
        return out;
    }
}
