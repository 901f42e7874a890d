package dev.prism.llm.vlm;

import java.util.Arrays;

/**
 * How one image's vision tokens are laid out in an Idefics3/SmolVLM prompt: a rows x cols grid of tiles (row-major)
 * followed by the global view, or a single global view. Unlike the model's own output every tile may hold a different
 * number of tokens, so pruned tiles (merged or temporally dropped tokens) keep their grid markup.
 *
 * @param tileTokens tokens per tile in prompt order: rows * cols tiles then the global view when hasGlobal, else one
 */
public record ImageLayout(int rows, int cols, boolean hasGlobal, int[] tileTokens) {
    public ImageLayout {
        if (rows < 1 || cols < 1 || tileTokens == null) {
            throw new IllegalArgumentException("image layout needs rows, cols >= 1 and tile token counts; got " + rows
                    + "x" + cols);
        }
        int tiles = hasGlobal ? rows * cols + 1 : 1;
        if (tileTokens.length != tiles || (!hasGlobal && (rows != 1 || cols != 1))) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + (hasGlobal ? " grid plus global view" : " image")
                    + " has " + tiles + " tiles, got " + tileTokens.length + " token counts");
        }
        for (int t : tileTokens) {
            if (t < 0) {
                throw new IllegalArgumentException("negative tile token count " + t);
            }
        }
        tileTokens = tileTokens.clone();
    }

    /** The layout of a model-produced image: every tile holds {@code tokensPerTile} tokens. */
    public static ImageLayout of(VisionTokens v) {
        int tiles = v.hasGlobal() ? v.rows() * v.cols() + 1 : 1;
        int[] t = new int[tiles];
        Arrays.fill(t, v.tokensPerTile());
        return new ImageLayout(v.hasGlobal() ? v.rows() : 1, v.hasGlobal() ? v.cols() : 1, v.hasGlobal(), t);
    }

    public int count() {
        return Arrays.stream(tileTokens).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageLayout l && rows == l.rows && cols == l.cols && hasGlobal == l.hasGlobal
                && Arrays.equals(tileTokens, l.tileTokens);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tileTokens) * 31 + rows * 7 + cols;
    }

    @Override
    public String toString() {
        return "ImageLayout[" + rows + "x" + cols + (hasGlobal ? "+global" : "") + " " + Arrays.toString(tileTokens) + "]";
    }
}
