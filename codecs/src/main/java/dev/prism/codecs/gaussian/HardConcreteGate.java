package dev.prism.codecs.gaussian;

import java.util.Arrays;

/**
 * QUEEN's per-Gaussian position gate (ALGORITHMS.md 8.1 "Position residual gating", NVlabs/queen
 * {@code scene/decoders.py :: Gate}; {@code train.py} initialisation): a hard-concrete variable with learnable
 * log alpha. The CPU encoder has no trainer, so it gates by thresholding motion; this class gives the exact
 * training sample, the deterministic streaming gate, the sparsity probability and the per-frame initialisation,
 * so gates learned elsewhere can drive {@link QueenEncoder#encode(GaussianFrame, float[])}.
 *
 * @param temperature temp (config 0.3, class default 0.5)
 * @param gamma       stretch lower bound (config -0.5, class default -0.1)
 * @param eta         stretch upper bound (config 1.01, class default 1.1)
 */
public record HardConcreteGate(double temperature, double gamma, double eta) {
    private static final double LOG_ALPHA_MIN = Math.log(1e-3);
    private static final double LOG_ALPHA_MAX = Math.log(1e3);

    public HardConcreteGate {
        if (!(temperature > 0) || !(gamma < 0) || !(eta > 1)) {
            throw new IllegalArgumentException("hard-concrete gate needs temperature > 0, gamma < 0, eta > 1");
        }
    }

    /** The DyNeRF config: temperature 0.3, gamma -0.5, eta 1.01. */
    public static HardConcreteGate queenConfig() {
        return new HardConcreteGate(0.3, -0.5, 1.01);
    }

    /** The Gate class defaults: temperature 0.5, gamma -0.1, eta 1.1. */
    public static HardConcreteGate classDefaults() {
        return new HardConcreteGate(0.5, -0.1, 1.1);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Training sample for u ~ U(eps, 1 - eps): clamp(sigmoid((log u - log(1-u) + log alpha) / temp) (eta - gamma) + gamma, 0, 1). */
    public double sample(double logAlpha, double u) {
        double s = sigmoid((Math.log(u) - Math.log(1 - u) + logAlpha) / temperature) * (eta - gamma) + gamma;
        return Math.max(0, Math.min(1, s));
    }

    /** The deterministic streaming gate: clamp(sigmoid(log alpha / temp) (eta - gamma) + gamma, 0, 1); 0 = the Gaussian stays put. */
    public double inference(double logAlpha) {
        return Math.max(0, Math.min(1, sigmoid(logAlpha / temperature) * (eta - gamma) + gamma));
    }

    /** 1 - CDF(0) = probability the gate is non-zero, with CDF(0) = sigmoid(temp log(-gamma/eta) - log alpha). */
    public double probabilityNonZero(double logAlpha) {
        return 1 - sigmoid(temperature * Math.log(-gamma / eta) - logAlpha);
    }

    /**
     * Per-frame initialisation from each Gaussian's accumulated screen-space gradient norm g:
     * p = g / (g + median g); log alpha = logit(p) + temp log(-gamma/eta), clamped to [log 1e-3, log 1e3].
     */
    public double[] initLogAlpha(double[] gradNorm) {
        double[] sorted = gradNorm.clone();
        Arrays.sort(sorted);
        double median = sorted.length == 0 ? 0 : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : 0.5 * (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]);
        double shift = temperature * Math.log(-gamma / eta);
        double[] out = new double[gradNorm.length];
        for (int i = 0; i < out.length; i++) {
            double g = gradNorm[i];
            double p = g + median > 0 ? g / (g + median) : 0.5;
            p = Math.max(1e-12, Math.min(1 - 1e-12, p));
            out[i] = Math.max(LOG_ALPHA_MIN, Math.min(LOG_ALPHA_MAX, Math.log(p / (1 - p)) + shift));
        }
        return out;
    }
}
