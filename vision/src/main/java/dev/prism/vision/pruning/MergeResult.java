package dev.prism.vision.pruning;

/**
 * Output of {@link LocalWindowMerger}: the new token rows and, per output token, the input token indices merged into
 * it (destination first; singletons for untouched tokens). {@code indexMap()[i]} is the input index whose slot output
 * token i occupies (the destination for a merged window). Indices count the CLS token when {@code hasCls}.
 */
public record MergeResult(float[][] tokens, int[][] groups, int mergedWindows, boolean hasCls) {
    public int[] indexMap() {
        int[] map = new int[groups.length];
        for (int i = 0; i < groups.length; i++) {
            map[i] = groups[i][0];
        }
        return map;
    }

    /** Patch-token count after merging (CLS excluded), i.e. N - 1 in the key-set formula. */
    public int patchCount() {
        return tokens.length - (hasCls ? 1 : 0);
    }
}
