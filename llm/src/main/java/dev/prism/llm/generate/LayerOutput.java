package dev.prism.llm.generate;

/**
 * Result of one decoder layer run.
 *
 * @param hidden [tokens * hidden] output hidden states
 * @param probs  attention probabilities of the probed query rows, [heads][rows][entries]: the columns
 *               are the layer's cache entries of that head's KV group in cache order after this
 *               step's append (so the last {@code tokens} columns are the new tokens); null if no
 *               rows were probed
 */
public record LayerOutput(float[] hidden, float[][][] probs) {
}
