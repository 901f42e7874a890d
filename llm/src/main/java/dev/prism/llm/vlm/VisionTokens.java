package dev.prism.llm.vlm;

/**
 * Projected vision tokens ready to splice into the prompt.
 *
 * @param embeddings    [count * hidden] in the decoder's embedding space, tiles in order (global view last)
 * @param count         number of tokens
 * @param hidden        decoder hidden size
 * @param rows          tile rows (1 for unsplit images)
 * @param cols          tile columns
 * @param tokensPerTile tokens per tile (count / tiles)
 * @param hasGlobal     whether the last tile is Idefics3's global view
 */
public record VisionTokens(float[] embeddings, int count, int hidden, int rows, int cols, int tokensPerTile, boolean hasGlobal) {
    public VisionTokens {
        if (embeddings.length != count * hidden) {
            throw new IllegalArgumentException("embeddings hold " + embeddings.length + " values, expected " + count + " x " + hidden);
        }
    }
}
