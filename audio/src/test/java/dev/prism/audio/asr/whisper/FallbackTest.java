package dev.prism.audio.asr.whisper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Compression-ratio and log-probability fallback, and the no-speech skip, on crafted results. */
class FallbackTest {
    static final WhisperOptions O = WhisperOptions.defaults(Path.of("unused"));

    static DecodeResult result(String text, double avgLogprob, double noSpeech) {
        return new DecodeResult(new long[0], new double[0], text, avgLogprob, noSpeech, 0.0, Fallback.compressionRatio(text));
    }

    @Test
    void compressionRatioIsZlibsAsWhisperComputesIt() {
        // Python: len(b"hello world") / len(zlib.compress(b"hello world")) == 11 / 19
        assertEquals(11.0 / 19, Fallback.compressionRatio("hello world"), 1e-12);
        assertEquals(0, Fallback.compressionRatio(""));
    }

    @Test
    void repetitiveTextFallsBackToTheNextTemperature() {
        String loop = " the cat sat on the mat".repeat(12);
        DecodeResult r = result(loop, -0.2, 0.01);
        assertTrue(r.compressionRatio() > 2.4, "ratio " + r.compressionRatio());
        assertTrue(Fallback.needsFallback(r, O));
        DecodeResult ok = result(" the quick brown fox jumps over the lazy dog", -0.2, 0.01);
        assertTrue(ok.compressionRatio() < 2.4);
        assertFalse(Fallback.needsFallback(ok, O));
        assertTrue(Fallback.needsFallback(result(" the quick brown fox", -1.5, 0.01), O), "low average log probability");
        assertFalse(Fallback.needsFallback(r, O.withThresholds(Double.NaN, -1.0, 0.6)), "ratio gate off");
    }

    @Test
    void noSpeechSkipsUnlessTheTextIsConfident() {
        assertTrue(Fallback.skip(result(" uh", -1.5, 0.8), O), "likely silence and unsure text: skipped");
        assertFalse(Fallback.needsFallback(result(" uh", -1.5, 0.8), O), "silence is not retried at higher temperature");
        assertFalse(Fallback.skip(result(" hello there", -0.3, 0.8), O), "confident text overrides no-speech");
        assertFalse(Fallback.skip(result(" hello there", -1.5, 0.4), O), "below the no-speech threshold");
        assertFalse(Fallback.skip(result(" uh", -1.5, 0.8), O.withThresholds(2.4, -1.0, Double.NaN)), "gate off");
    }
}
