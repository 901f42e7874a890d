package dev.prism.llm.vlm;

/**
 * Per-layer access to the vision tower for token pruning (MustDrop Stage A: merge after layer 0,
 * key set from the CLS attention of the last layer, ALGORITHMS.md 1.1).
 */
public interface VisionHook {
    VisionHook NONE = new VisionHook() { };

    /** Whether layer should return its attention (row 0 per head, and the head/query mean). */
    default boolean wantAttention(int layer) {
        return false;
    }

    /** Called after each encoder layer that runs; may replace the token sequence. */
    default void afterLayer(VisionLayerState state) {
    }
}
