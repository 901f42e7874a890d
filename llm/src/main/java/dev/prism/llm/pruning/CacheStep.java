package dev.prism.llm.pruning;

/**
 * What a {@link CachePolicy} sees after a forward pass: whether it was the prefill (many query rows) or one decode
 * step, the number of tokens processed so far (the reference's {@code num_of_token}), the cache layout after this
 * pass's tokens were appended, and the pass's attention.
 */
public record CacheStep(boolean prefill, int tokensSeen, CacheLayout layout, StepAttention attention) {
    public CacheStep {
        PruningInputException.check(layout != null, "cache step without a layout");
        PruningInputException.check(tokensSeen > 0, "tokensSeen " + tokensSeen + " must be positive");
        attention = attention == null ? StepAttention.NONE : attention;
    }
}
