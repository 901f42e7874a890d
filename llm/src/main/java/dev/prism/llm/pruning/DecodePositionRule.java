package dev.prism.llm.pruning;

/**
 * RoPE position of a new decode token per layer after sequence-level pruning (ALGORITHMS.md 1.3 step 5 and 3.5).
 */
public enum DecodePositionRule {
    /** Reference behaviour (HF get_usable_length): each layer uses its own cache length, so layers differ. */
    OWN_CACHE_LENGTH,
    /** Every layer uses the deepest layer's cache length, continuing the compacted numbering of the pruned prefill. */
    DEEPEST_CACHE_LENGTH;

    /** @param cacheLengths per layer, the cache length before the new token is appended */
    public int[] positions(int[] cacheLengths) {
        int[] out = cacheLengths.clone();
        if (this == DEEPEST_CACHE_LENGTH) {
            java.util.Arrays.fill(out, cacheLengths[cacheLengths.length - 1]);
        }
        return out;
    }
}
