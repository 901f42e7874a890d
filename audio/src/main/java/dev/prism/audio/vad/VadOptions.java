package dev.prism.audio.vad;

/**
 * How frame probabilities become speech regions (the rules of Silero's {@code get_speech_timestamps}).
 *
 * @param threshold        probability at or above which a frame starts/continues speech
 * @param negThreshold     probability below which a frame counts as silence (hysteresis; Silero uses threshold - 0.15)
 * @param minSpeechMs      regions shorter than this (before padding) are dropped
 * @param minSilenceMs     silence must last this long to end a region
 * @param padMs            added on both sides of each region (halved into a gap shorter than two pads)
 * @param mergeGapMs       padded regions closer than this are merged (when the result stays under the maximum)
 * @param maxSpeechSeconds longer regions are split at the least speech-like frame of their second half
 */
public record VadOptions(float threshold, float negThreshold, int minSpeechMs, int minSilenceMs, int padMs,
                         int mergeGapMs, double maxSpeechSeconds) {
    public VadOptions {
        if (!(threshold > 0 && threshold < 1 && negThreshold >= 0 && negThreshold <= threshold)) {
            throw new IllegalArgumentException("VAD needs 0 <= negThreshold <= threshold < 1, got "
                    + negThreshold + " / " + threshold);
        }
        if (minSpeechMs < 0 || minSilenceMs < 0 || padMs < 0 || mergeGapMs < 0) {
            throw new IllegalArgumentException("VAD durations must not be negative");
        }
        if (maxSpeechSeconds < 1) {
            throw new IllegalArgumentException("VAD maxSpeechSeconds must be at least 1, was " + maxSpeechSeconds);
        }
    }

    /**
     * Regions for recognition: a pause must last 300 ms to end a region, 200 ms of padding (the recognizers
     * model the silence around an utterance) and regions closer than 500 ms merged, so sentences are not cut
     * at short breaths (Sphinx loses its language-model context at a cut); at most 30 s (one Whisper window).
     */
    public static VadOptions defaults() {
        return new VadOptions(0.5f, 0.35f, 250, 300, 200, 500, 30);
    }

    /** Silero's own get_speech_timestamps defaults (no merging), with a 30 s cap. */
    public static VadOptions silero() {
        return new VadOptions(0.5f, 0.35f, 250, 100, 30, 0, 30);
    }
}
