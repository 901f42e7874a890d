package dev.prism.llm.pruning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Calibrates PLPHP's alpha, beta and r (ALGORITHMS.md 2.3), since the published values are unverified: pool the
 * logged gamma_l of layers >= K over 50-200 calibration prompts, take alpha and beta as percentiles of the pool
 * (default 67th and 33rd, linear interpolation), then solve for the r whose mean clamped retention over all logged
 * (prompt, layer) pairs equals the target. Sweeping deltaR (0.1, 0.2, 0.3) is left to the caller's accuracy harness via
 * {@link #sweep}.
 */
public final class PlphpCalibrator {
    private final double alphaPercentile;
    private final double betaPercentile;

    public PlphpCalibrator() {
        this(67, 33);
    }

    public PlphpCalibrator(double alphaPercentile, double betaPercentile) {
        PruningInputException.check(alphaPercentile > betaPercentile && betaPercentile >= 0 && alphaPercentile <= 100,
                "percentiles must satisfy 0 <= beta (" + betaPercentile + ") < alpha (" + alphaPercentile + ") <= 100");
        this.alphaPercentile = alphaPercentile;
        this.betaPercentile = betaPercentile;
    }

    /**
     * The outcome: the thresholds, the solved r, the mean retention it realises on the calibration set, and how many
     * logged (prompt, layer) pairs fall in each class (gamma >= alpha: vision-attentive; <= beta: indifferent).
     */
    public record Calibration(double alpha, double beta, double r, double deltaR, double targetRetention,
            double realisedRetention, int attentive, int balanced, int indifferent) {
        public PlphpConfig apply(PlphpConfig base) {
            return new PlphpConfig(alpha, beta, r, deltaR, base.firstLayer(), base.aggregation(), base.visionStart(),
                    base.visionEnd());
        }
    }

    /** gamma for one layer from the last prompt token's attention [heads][L] over a uniform sequence. */
    public static double gamma(float[][] lastRow, int visionStart, int visionEnd) {
        double sum = 0;
        for (float[] row : lastRow) {
            double v = 0;
            double all = 0;
            for (int j = 0; j < row.length; j++) {
                all += row[j];
                if (j >= visionStart && j < visionEnd) {
                    v += row[j];
                }
            }
            sum += all > 0 ? v / all : 0;
        }
        return sum / lastRow.length;
    }

    /**
     * @param gammasPerPrompt for every calibration prompt, gamma of each layer >= K
     * @param targetRetention the wanted mean retention, e.g. 0.5 for "KV more than 50 % smaller"
     */
    public Calibration calibrate(List<double[]> gammasPerPrompt, double targetRetention, double deltaR) {
        PruningInputException.check(gammasPerPrompt != null && !gammasPerPrompt.isEmpty(),
                "no calibration gammas: log gamma per layer on 50-200 prompts first");
        PruningInputException.check(targetRetention >= 0 && targetRetention <= 1,
                "target retention " + targetRetention + " must be in [0, 1]");
        double[] pool = gammasPerPrompt.stream().flatMapToDouble(Arrays::stream).sorted().toArray();
        PruningInputException.check(pool.length > 0, "the calibration gammas are all empty");
        double alpha = percentile(pool, alphaPercentile);
        double beta = percentile(pool, betaPercentile);
        PruningInputException.check(alpha > beta, "the calibration gammas are (nearly) constant (alpha " + alpha
                + " = beta " + beta + "): three classes cannot be separated; log more varied prompts");
        PlphpConfig probe = new PlphpConfig(alpha, beta, 0, deltaR, 0, GqaAggregation.SUM, 0, 0);
        // mean clamped retention is non-decreasing in r: bisect on [0, 1]
        double lo = 0;
        double hi = 1;
        for (int it = 0; it < 60; it++) {
            double mid = (lo + hi) / 2;
            if (meanRetention(pool, probe.withRetention(mid, deltaR)) < targetRetention) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double r = hi;
        int attentive = 0;
        int indifferent = 0;
        for (double g : pool) {
            attentive += g >= alpha ? 1 : 0;
            indifferent += g <= beta ? 1 : 0;
        }
        return new Calibration(alpha, beta, r, deltaR, targetRetention, meanRetention(pool, probe.withRetention(r, deltaR)),
                attentive, pool.length - attentive - indifferent, indifferent);
    }

    /** One calibration per deltaR (e.g. 0.1, 0.2, 0.3); the caller records accuracy for each. */
    public List<Calibration> sweep(List<double[]> gammasPerPrompt, double targetRetention, double... deltaRs) {
        List<Calibration> out = new ArrayList<>();
        for (double d : deltaRs) {
            out.add(calibrate(gammasPerPrompt, targetRetention, d));
        }
        return out;
    }

    static double meanRetention(double[] gammas, PlphpConfig c) {
        double s = 0;
        for (double g : gammas) {
            s += c.retention(g);
        }
        return s / gammas.length;
    }

    static double percentile(double[] sorted, double p) {
        double pos = p / 100 * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }
}
