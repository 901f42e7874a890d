package dev.prism.llm.generate;

/**
 * What a generation produced and what it cost.
 *
 * @param prefillTokensPerLayer sequence length each layer processed during prefill (pruning shortens it)
 * @param prefillFlops          estimate from those lengths (ALGORITHMS.md 1.4: prefill FLOPs grow with each layer's length)
 * @param demo                  true when the checkpoint was generated (random weights): label the output as demo
 */
public record GenerationResult(String text, long[] tokens, int promptTokens, StopReason stopReason,
                               int[] prefillTokensPerLayer, double prefillFlops, long kvBytesAfterPrefill,
                               long kvBytesFinal, long prefillNanos, long decodeNanos, boolean demo) {
}
