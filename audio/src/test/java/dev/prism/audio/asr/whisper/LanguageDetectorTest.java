package dev.prism.audio.asr.whisper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LanguageDetectorTest {
    @Test
    void picksTheMostLikelyLanguageTokenIgnoringOtherTokens() {
        Map<String, Integer> langs = new LinkedHashMap<>();
        langs.put("en", 5);
        langs.put("de", 6);
        langs.put("jw", 7);
        float[] logits = new float[10];
        logits[0] = 50f; // a text token scores higher than any language: not a candidate
        logits[5] = 1f;
        logits[6] = 2.5f;
        logits[7] = 2f;
        assertEquals("de", LanguageDetector.detect(logits, langs));
        Map<String, Double> p = LanguageDetector.probabilities(logits, langs);
        assertEquals(1.0, p.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
        assertEquals(Math.exp(2.5) / (Math.exp(1) + Math.exp(2.5) + Math.exp(2)), p.get("de"), 1e-12);
        assertEquals("jv", LanguageDetector.toBcp47("jw"), "Whisper's Javanese code is reported as BCP 47");
        assertEquals("jw", LanguageDetector.toWhisper("jv"));
        assertEquals("en", LanguageDetector.toWhisper("en-US"));
    }
}
