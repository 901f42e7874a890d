package dev.prism.audio.asr.whisper;

/**
 * One window decoded at one temperature (Whisper's DecodingResult).
 *
 * @param tokens           sampled tokens after the start sequence, end-of-text excluded (text and timestamps)
 * @param tokenProbs       each sampled token's probability under the filtered distribution
 * @param text             the decoded text tokens
 * @param avgLogprob       sum of sampled log probabilities (end-of-text included) / (tokens + 1)
 * @param noSpeechProb     probability of {@code <|nospeech|>} at the start-of-transcript position
 * @param temperature      the temperature it was sampled at
 * @param compressionRatio text bytes / zlib-compressed bytes
 */
public record DecodeResult(long[] tokens, double[] tokenProbs, String text, double avgLogprob, double noSpeechProb,
                           double temperature, double compressionRatio) {
}
