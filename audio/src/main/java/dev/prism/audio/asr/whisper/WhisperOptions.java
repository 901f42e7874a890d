package dev.prism.audio.asr.whisper;

import java.nio.file.Path;
import java.util.List;

/**
 * Whisper decoding settings, with openai/whisper transcribe()'s defaults.
 *
 * @param modelDir                  Hugging Face Whisper checkpoint directory (config.json, model.safetensors,
 *                                  tokenizer.json, generation_config.json)
 * @param language                  language code (e.g. {@code en}, {@code de}), or null to detect it from the
 *                                  first window; ignored by English-only (.en) models
 * @param task                      {@code transcribe} or {@code translate} (to English)
 * @param beamSize                  accepted for configuration compatibility; decoding is greedy/sampling
 *                                  (Whisper's best_of/beam search are not implemented)
 * @param temperatures              fallback ladder, first entry tried first (Whisper: 0.0, 0.2, ... 1.0)
 * @param compressionRatioThreshold retry at the next temperature above this zlib ratio (2.4); NaN = off
 * @param logprobThreshold          retry below this average token log probability (-1.0); NaN = off
 * @param noSpeechThreshold         skip a window whose no-speech probability is above this (0.6) unless its
 *                                  average log probability is above logprobThreshold; NaN = off
 * @param wordTimestamps            cross-attention + DTW word times (Whisper's word_timestamps); off spreads
 *                                  each segment's time over its words by length
 * @param timestamps                predict timestamp tokens (off = {@code <|notimestamps|>}, one segment per window)
 * @param conditionOnPreviousText   prompt each window with the previous windows' text (Whisper's default true)
 * @param maxInitialTimestamp       latest first timestamp in seconds (1.0)
 * @param suppressBlank             forbid a blank or end-of-text as the first sampled token
 * @param threads                   ONNX Runtime intra-op threads
 * @param seed                      sampling seed at temperatures above 0 (same seed, same output)
 */
public record WhisperOptions(Path modelDir, String language, String task, int beamSize, List<Double> temperatures,
                             double compressionRatioThreshold, double logprobThreshold, double noSpeechThreshold,
                             boolean wordTimestamps, boolean timestamps, boolean conditionOnPreviousText,
                             double maxInitialTimestamp, boolean suppressBlank, int threads, long seed) {
    public static final List<Double> DEFAULT_TEMPERATURES = List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);

    public WhisperOptions {
        if (modelDir == null) {
            throw new IllegalArgumentException("WhisperOptions: modelDir must be set (a Hugging Face Whisper checkpoint "
                    + "directory, e.g. from `prism models fetch openai/whisper-base`)");
        }
        if (!"transcribe".equals(task) && !"translate".equals(task)) {
            throw new IllegalArgumentException("WhisperOptions: task must be transcribe or translate, not " + task);
        }
        if (temperatures == null || temperatures.isEmpty() || temperatures.stream().anyMatch(t -> !(t >= 0))) {
            throw new IllegalArgumentException("WhisperOptions: temperatures must be a non-empty list of values >= 0, got "
                    + temperatures);
        }
        temperatures = List.copyOf(temperatures);
        if (language != null && language.isBlank()) {
            language = null;
        }
        if (beamSize < 1 || threads < 1 || !(maxInitialTimestamp >= 0)) {
            throw new IllegalArgumentException("WhisperOptions: beamSize >= 1, threads >= 1, maxInitialTimestamp >= 0");
        }
    }

    /** Whisper's transcribe() defaults for the checkpoint in {@code modelDir}, language detected. */
    public static WhisperOptions defaults(Path modelDir) {
        return new WhisperOptions(modelDir, null, "transcribe", 1, DEFAULT_TEMPERATURES, 2.4, -1.0, 0.6, true, true,
                true, 1.0, true, 2, 0);
    }

    public WhisperOptions withLanguage(String code) {
        return new WhisperOptions(modelDir, code, task, beamSize, temperatures, compressionRatioThreshold,
                logprobThreshold, noSpeechThreshold, wordTimestamps, timestamps, conditionOnPreviousText,
                maxInitialTimestamp, suppressBlank, threads, seed);
    }

    public WhisperOptions withWordTimestamps(boolean on) {
        return new WhisperOptions(modelDir, language, task, beamSize, temperatures, compressionRatioThreshold,
                logprobThreshold, noSpeechThreshold, on, timestamps, conditionOnPreviousText, maxInitialTimestamp,
                suppressBlank, threads, seed);
    }

    public WhisperOptions withTimestamps(boolean on) {
        return new WhisperOptions(modelDir, language, task, beamSize, temperatures, compressionRatioThreshold,
                logprobThreshold, noSpeechThreshold, wordTimestamps, on, conditionOnPreviousText, maxInitialTimestamp,
                suppressBlank, threads, seed);
    }

    public WhisperOptions withThresholds(double compressionRatio, double logprob, double noSpeech) {
        return new WhisperOptions(modelDir, language, task, beamSize, temperatures, compressionRatio, logprob, noSpeech,
                wordTimestamps, timestamps, conditionOnPreviousText, maxInitialTimestamp, suppressBlank, threads, seed);
    }

    public WhisperOptions withTemperatures(List<Double> ladder) {
        return new WhisperOptions(modelDir, language, task, beamSize, ladder, compressionRatioThreshold,
                logprobThreshold, noSpeechThreshold, wordTimestamps, timestamps, conditionOnPreviousText,
                maxInitialTimestamp, suppressBlank, threads, seed);
    }

    public WhisperOptions withTask(String t) {
        return new WhisperOptions(modelDir, language, t, beamSize, temperatures, compressionRatioThreshold,
                logprobThreshold, noSpeechThreshold, wordTimestamps, timestamps, conditionOnPreviousText,
                maxInitialTimestamp, suppressBlank, threads, seed);
    }

    public WhisperOptions withThreads(int n) {
        return new WhisperOptions(modelDir, language, task, beamSize, temperatures, compressionRatioThreshold,
                logprobThreshold, noSpeechThreshold, wordTimestamps, timestamps, conditionOnPreviousText,
                maxInitialTimestamp, suppressBlank, n, seed);
    }
}
