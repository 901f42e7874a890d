package dev.prism.llm.vlm;

/**
 * A prompt with its vision tokens in place: ids (image tokens included), the input embeddings, and
 * where the vision tokens sit (MustDrop's S / V / Tq layout, ALGORITHMS.md 1.2).
 *
 * @param visionPositions sequence indices holding vision tokens, ascending
 */
public record Prompt(long[] ids, float[] embeddings, int[] visionPositions) {
    public int length() {
        return ids.length;
    }

    /** Tokens before the first vision token (S). */
    public int prefixLength() {
        return visionPositions.length == 0 ? ids.length : visionPositions[0];
    }
}
