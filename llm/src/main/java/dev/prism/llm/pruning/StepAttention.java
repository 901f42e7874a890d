package dev.prism.llm.pruning;

/**
 * Attention of the forward pass just run, as the runtime hands it to cache policies. Arrays are indexed
 * [queryHead][entry] where the entries are those of the query head's KV lane (query head h reads KV head
 * h / (queryHeads / kvHeads)), in cache order, including the entries of the tokens of this step. Implementations may
 * compute lazily; a policy only asks for what it declared in {@link CachePolicy#needs}.
 */
public interface StepAttention {
    /** Sum over this step's query rows of the softmax probabilities (causal mask applied). Prefill: column sums. */
    float[][] columnSums(int layer);

    /** Softmax probabilities of this step's last query row (the token that produces the next output). */
    float[][] lastRow(int layer);

    /** For policies that need nothing. */
    StepAttention NONE = new StepAttention() {
        @Override
        public float[][] columnSums(int layer) {
            throw new PruningInputException("this step carries no attention: a policy asked for column sums "
                    + "without declaring it in needs()");
        }

        @Override
        public float[][] lastRow(int layer) {
            throw new PruningInputException("this step carries no attention: a policy asked for the last row "
                    + "without declaring it in needs()");
        }
    };
}
