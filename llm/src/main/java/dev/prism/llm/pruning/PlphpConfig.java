package dev.prism.llm.pruning;

/**
 * PLPHP hyper-parameters (ALGORITHMS.md 2). The paper's values could not be verified against code: every one is a
 * parameter, to be set with {@link PlphpCalibrator}.
 *
 * @param alpha         gamma at or above which a layer is vision-attentive (retention r + deltaR)
 * @param beta          gamma at or below which a layer is vision-indifferent (r - deltaR); alpha > beta
 * @param r             base retention rate of vision tokens
 * @param deltaR        retention offset of the attentive / indifferent classes
 * @param firstLayer    K: layers below it are never pruned
 * @param aggregation   how the query heads sharing a KV head combine their scores under GQA (a Prism design decision)
 * @param visionStart   first token id of the vision span (original sequence positions)
 * @param visionEnd     one past the last vision token id
 */
public record PlphpConfig(double alpha, double beta, double r, double deltaR, int firstLayer,
        GqaAggregation aggregation, int visionStart, int visionEnd) {
    public PlphpConfig {
        PruningInputException.check(alpha > beta, "PLPHP needs alpha > beta, got alpha " + alpha + ", beta " + beta);
        PruningInputException.check(r >= 0 && r <= 1 && deltaR >= 0, "PLPHP r " + r + " must be in [0, 1] and deltaR "
                + deltaR + " non-negative");
        PruningInputException.check(firstLayer >= 0, "PLPHP first layer " + firstLayer + " is negative");
        PruningInputException.check(visionStart >= 0 && visionEnd >= visionStart,
                "vision span [" + visionStart + ", " + visionEnd + ") is empty or negative");
        PruningInputException.check(aggregation != null, "PLPHP needs a GQA aggregation rule");
    }

    /** Layer class of ALGORITHMS.md 2.1 step 2. */
    public enum LayerClass { VISION_ATTENTIVE, VISION_BALANCED, VISION_INDIFFERENT }

    public LayerClass classify(double gamma) {
        if (gamma >= alpha) {
            return LayerClass.VISION_ATTENTIVE;
        }
        return gamma <= beta ? LayerClass.VISION_INDIFFERENT : LayerClass.VISION_BALANCED;
    }

    /** r_l for a layer with vision attention ratio gamma, clamped to [0, 1]. */
    public double retention(double gamma) {
        double rl = switch (classify(gamma)) {
            case VISION_ATTENTIVE -> r + deltaR;
            case VISION_INDIFFERENT -> r - deltaR;
            case VISION_BALANCED -> r;
        };
        return Math.max(0, Math.min(1, rl));
    }

    public PlphpConfig withRetention(double newR, double newDeltaR) {
        return new PlphpConfig(alpha, beta, newR, newDeltaR, firstLayer, aggregation, visionStart, visionEnd);
    }
}
