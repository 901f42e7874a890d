package dev.prism.vision.caption;

import java.util.Arrays;

/**
 * The ask path's choice between a stored context and recomputing from text (ALGORITHMS.md 4.4, CacheGen's
 * config_selection adapted to one request): with the request's deadline and the bandwidth to the context store, take
 * the highest CacheGen level whose transfer time (bytes / bandwidth) plus decode time (CacheGen-decoding the context
 * and feeding the question on top of it) is below the deadline; if none is, fall back to recomputing the prefill from
 * the text context (captions, transcript) and the question. The reference models the fallback as a fixed 0.2 s; here it
 * is the caller's measured or estimated recompute time, and the fallback is taken whatever that time is (there is
 * nothing cheaper left). Times are to the answer's first token; generating the answer costs the same on both paths.
 */
public final class AskPlanner {
    private AskPlanner() {
    }

    /** Which way the answer was computed. */
    public enum Path { CACHE, TEXT }

    /**
     * @param level       the CacheGen level used (0 on the text path)
     * @param estimatedMs the chosen path's estimated time to the first answer token
     * @param cacheMs     per level (index level - 1) the estimated transfer + decode time, NaN where not stored
     * @param textMs      the estimated recompute time
     */
    public record Plan(Path path, int level, double estimatedMs, double deadlineMs, double bandwidthBytesPerSecond,
            double[] cacheMs, double textMs) {
        @Override
        public String toString() {
            return "Plan[" + path + (path == Path.CACHE ? " level " + level : "") + ", est " + estimatedMs
                    + " ms, deadline " + deadlineMs + " ms, cache " + Arrays.toString(cacheMs) + ", text " + textMs + "]";
        }
    }

    /**
     * @param deadlineMs            the request's deadline (positive; infinite when it has none)
     * @param bandwidthBytesPerSecond bandwidth to the context store (configured or measured)
     * @param bytesByLevel          the context's coded size at levels 1, 2, 3 (index level - 1; 0 where not stored)
     * @param decodeMsByLevel       decode-from-cache time at each level (context decode plus feeding the question)
     * @param textMs                time to recompute the prefill from the text context
     */
    public static Plan choose(double deadlineMs, double bandwidthBytesPerSecond, long[] bytesByLevel,
            double[] decodeMsByLevel, double textMs) {
        CaptionException.check(deadlineMs > 0, "the ask deadline " + deadlineMs + " ms must be positive (leave it "
                + "out for no deadline)");
        CaptionException.check(bandwidthBytesPerSecond > 0 && Double.isFinite(bandwidthBytesPerSecond), "the ask "
                + "bandwidth " + bandwidthBytesPerSecond + " bytes/s must be positive and finite");
        CaptionException.check(bytesByLevel != null && bytesByLevel.length == 3 && decodeMsByLevel != null
                && decodeMsByLevel.length == 3, "pass the context's size and decode time at levels 1, 2 and 3");
        CaptionException.check(!(textMs < 0), "the recompute estimate " + textMs + " ms is negative (NaN: unknown)");
        double[] cacheMs = new double[3];
        Arrays.fill(cacheMs, Double.NaN);
        for (int level = 1; level <= 3; level++) {
            long bytes = bytesByLevel[level - 1];
            if (bytes > 0) {
                CaptionException.check(decodeMsByLevel[level - 1] >= 0, "decode time at level " + level
                        + " is negative");
                cacheMs[level - 1] = bytes * 1000.0 / bandwidthBytesPerSecond + decodeMsByLevel[level - 1];
            }
        }
        for (int level = 3; level >= 1; level--) {
            double t = cacheMs[level - 1];
            if (!Double.isNaN(t) && t < deadlineMs) {
                return new Plan(Path.CACHE, level, t, deadlineMs, bandwidthBytesPerSecond, cacheMs, textMs);
            }
        }
        return new Plan(Path.TEXT, 0, textMs, deadlineMs, bandwidthBytesPerSecond, cacheMs, textMs);
    }
}
