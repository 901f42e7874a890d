package dev.prism.llm.pruning;

/**
 * A sequence-level pruner the runtime calls during prefill, after each decoder layer's forward pass. When it returns
 * an index map, the runtime gathers the hidden states to those rows (indices into the current sequence, ascending)
 * before the next layer, and uses the first map.length entries of the old position-id vector for the following layers
 * (MustDrop renumbers contiguously). Earlier layers' caches are left as they are (a policy may prune them after
 * prefill, see {@link MustDropPrefill#outputAwarePolicy()}).
 */
public interface PrefillPruner {
    /** True if the runtime must compute the text query rows' attention probabilities at this layer. */
    boolean needsTextAttention(int layer);

    /**
     * @param textRows [H][Tq][L] softmax probabilities of the text query rows (causal mask applied); null when
     *                 {@link #needsTextAttention} was false
     * @return ascending indices of the current sequence to keep, or null to keep everything
     */
    int[] afterLayer(int layer, float[][][] textRows);

    /** The sequence layout the next layer runs on. */
    SequenceLayout layout();
}
