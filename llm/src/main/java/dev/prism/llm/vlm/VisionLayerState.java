package dev.prism.llm.vlm;

/** The vision tower's state after one encoder layer; {@link #replace} swaps in a new (e.g. merged) sequence. */
public final class VisionLayerState {
    private final int layer;
    private final int hidden;
    private float[] tokens;
    private final float[][] row0;
    private final float[] mean;
    private boolean replaced;

    VisionLayerState(int layer, int hidden, float[] tokens, float[][] row0, float[] mean) {
        this.layer = layer;
        this.hidden = hidden;
        this.tokens = tokens;
        this.row0 = row0;
        this.mean = mean;
    }

    public int layer() {
        return layer;
    }

    public int hidden() {
        return hidden;
    }

    public int count() {
        return tokens.length / hidden;
    }

    /** [count * hidden] hidden states (CLS first for CLIP). */
    public float[] tokens() {
        return tokens;
    }

    /** [heads][count]: attention of query 0 (CLS for CLIP) over all tokens; null unless requested. */
    public float[][] firstRowAttention() {
        return row0;
    }

    /** [count]: attention each token receives, mean over heads and queries; null unless requested. */
    public float[] meanAttention() {
        return mean;
    }

    public void replace(float[] newTokens) {
        if (newTokens.length == 0 || newTokens.length % hidden != 0) {
            throw new IllegalArgumentException("replacement must be a positive multiple of hidden " + hidden
                    + " values, got " + newTokens.length);
        }
        this.tokens = newTokens;
        this.replaced = true;
    }

    boolean replaced() {
        return replaced;
    }
}
