package dev.prism.llm.pruning;

/**
 * Stage B threshold table (ALGORITHMS.md 1.2), labelled by the layer-averaged vision-token count of the reference
 * scripts, plus the CLI default that prunes nothing.
 */
public enum MustDropThresholds {
    TOKENS_192(0.001, 0.001),
    TOKENS_128(0.0012, 0.001),
    TOKENS_64(0.011, 0.01),
    /** global_thr = 1.0, individual_thr = 0.0: no token is ever below both, so nothing is dropped. */
    NONE(1.0, 0.0);

    public final double global;
    public final double individual;

    MustDropThresholds(double global, double individual) {
        this.global = global;
        this.individual = individual;
    }
}
