package dev.prism.audio.asr.whisper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whisper's detect_language: the logits at the start-of-transcript position, restricted to the language tokens;
 * the most likely language wins. Codes are Whisper's, reported as BCP 47 ({@code jw} is Javanese, {@code jv}).
 */
public final class LanguageDetector {
    private LanguageDetector() {
    }

    /** Probability of each language (softmax over the language tokens only), in the model's order. */
    public static Map<String, Double> probabilities(float[] logitsAtSot, Map<String, Integer> languages) {
        double max = Double.NEGATIVE_INFINITY;
        for (int id : languages.values()) {
            max = Math.max(max, logitsAtSot[id]);
        }
        double sum = 0;
        for (int id : languages.values()) {
            sum += Math.exp(logitsAtSot[id] - max);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : languages.entrySet()) {
            out.put(e.getKey(), Math.exp(logitsAtSot[e.getValue()] - max) / sum);
        }
        return out;
    }

    /** The most likely language's Whisper code. */
    public static String detect(float[] logitsAtSot, Map<String, Integer> languages) {
        String best = null;
        double bestLogit = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, Integer> e : languages.entrySet()) {
            float v = logitsAtSot[e.getValue()];
            if (best == null || v > bestLogit) {
                best = e.getKey();
                bestLogit = v;
            }
        }
        return best;
    }

    /** Whisper code -> BCP 47 tag. */
    public static String toBcp47(String whisperCode) {
        return "jw".equals(whisperCode) ? "jv" : whisperCode;
    }

    /** BCP 47 tag (or Whisper code) -> Whisper code. */
    public static String toWhisper(String tag) {
        String primary = tag.toLowerCase(java.util.Locale.ROOT).split("[-_]")[0];
        return "jv".equals(primary) ? "jw" : primary;
    }
}
