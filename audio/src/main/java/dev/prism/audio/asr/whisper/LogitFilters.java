package dev.prism.audio.asr.whisper;

import java.util.Arrays;

/**
 * Whisper's logit filters (openai/whisper decoding.py SuppressBlank, SuppressTokens, ApplyTimestampRules) as
 * pure functions over one step's logits and the tokens sampled so far in this window (the prompt and the
 * start-of-transcript sequence excluded). Forbidden tokens get negative infinity; the caller samples after.
 */
public final class LogitFilters {
    private static final float NEG = Float.NEGATIVE_INFINITY;

    private LogitFilters() {
    }

    /**
     * All three filters in Whisper's order; timestamp rules only when timestamps are predicted, with the first
     * timestamp at most maxInitialIndex steps in.
     */
    public static void apply(float[] logits, long[] sampled, WhisperTokens t, boolean suppressBlank, boolean timestamps,
                             int maxInitialIndex) {
        if (suppressBlank) {
            suppressBlank(logits, sampled, t.beginSuppress());
        }
        suppressTokens(logits, t.suppress());
        if (timestamps) {
            timestampRules(logits, sampled, t.eot(), t.noTimestamps(), t.timestampBegin(), maxInitialIndex);
        }
    }

    /** At the first sampled position, a blank or end-of-text cannot start the text. */
    public static void suppressBlank(float[] logits, long[] sampled, int[] beginSuppress) {
        if (sampled.length == 0) {
            for (int id : beginSuppress) {
                logits[id] = NEG;
            }
        }
    }

    public static void suppressTokens(float[] logits, int[] ids) {
        for (int id : ids) {
            if (id >= 0 && id < logits.length) {
                logits[id] = NEG;
            }
        }
    }

    /**
     * Timestamp tokens come in pairs (an opening and a closing one) except right before end-of-text; they never
     * decrease and a segment has non-zero length; the first sampled token is a timestamp no later than
     * {@code maxInitialIndex} steps of 0.02 s (negative = no limit); and when the timestamps together are more
     * likely than the most likely text token, a timestamp is forced.
     */
    public static void timestampRules(float[] logits, long[] sampled, int eot, int noTimestamps, int tsBegin,
                                      int maxInitialIndex) {
        logits[noTimestamps] = NEG;
        int n = sampled.length;
        boolean last = n >= 1 && sampled[n - 1] >= tsBegin;
        boolean penultimate = n < 2 || sampled[n - 2] >= tsBegin;
        if (last) {
            if (penultimate) {
                // a closed pair (or a lone opening at the start): text or end-of-text must follow
                Arrays.fill(logits, tsBegin, logits.length, NEG);
            } else {
                // text then a timestamp: the segment is open, so another timestamp or end-of-text
                Arrays.fill(logits, 0, eot, NEG);
            }
        }
        long lastTs = -1;
        for (long tok : sampled) {
            if (tok >= tsBegin) {
                lastTs = tok;
            }
        }
        if (lastTs >= 0) {
            // equal to the last one only when it closes the pair just emitted (next segment starts there)
            long bound = last && !penultimate ? lastTs : lastTs + 1;
            Arrays.fill(logits, tsBegin, (int) Math.min(bound, logits.length), NEG);
        }
        if (n == 0) {
            Arrays.fill(logits, 0, tsBegin, NEG);
            if (maxInitialIndex >= 0) {
                Arrays.fill(logits, Math.min(logits.length, tsBegin + maxInitialIndex + 1), logits.length, NEG);
            }
        }
        double[] lp = logSoftmax(logits);
        double tsMass = logSumExp(lp, tsBegin, lp.length);
        double maxText = NEG;
        for (int i = 0; i < tsBegin; i++) {
            maxText = Math.max(maxText, lp[i]);
        }
        if (tsMass > maxText) {
            Arrays.fill(logits, 0, tsBegin, NEG);
        }
    }

    public static double[] logSoftmax(float[] logits) {
        double max = NEG;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        double lse = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - lse;
        }
        return out;
    }

    static double logSumExp(double[] x, int from, int to) {
        double max = NEG;
        for (int i = from; i < to; i++) {
            max = Math.max(max, x[i]);
        }
        if (max == NEG) {
            return NEG;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += Math.exp(x[i] - max);
        }
        return max + Math.log(sum);
    }
}
