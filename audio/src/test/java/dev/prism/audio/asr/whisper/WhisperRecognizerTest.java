package dev.prism.audio.asr.whisper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.audio.AudioException;
import dev.prism.audio.Transcriber;
import dev.prism.audio.TranscriberOptions;
import dev.prism.audio.asr.RecognizedWord;
import dev.prism.audio.transcript.Transcript;
import dev.prism.audio.transcript.TranscriptJson;
import dev.prism.audio.vad.EnergyVad;
import dev.prism.llm.testing.TinyWhisper;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whisper end to end on a generated checkpoint with Whisper's real window and vocabulary layout (plumbing). */
class WhisperRecognizerTest {
    @TempDir
    static Path tmp;
    static Path dir;
    static WhisperRecognizer whisper;

    @BeforeAll
    static void load() throws Exception {
        dir = TinyWhisper.writeRecognizer(tmp.resolve("tiny-whisper"), 11, true);
        whisper = WhisperRecognizer.load(WhisperOptions.defaults(dir).withThresholds(2.4, Double.NaN, Double.NaN));
    }

    @AfterAll
    static void close() {
        whisper.close();
    }

    /** Voiced bursts with pauses: something for the encoder to attend to. */
    static float[] speechLike(double seconds, long seed) {
        Random r = new Random(seed);
        float[] pcm = new float[(int) (seconds * 16000)];
        for (int i = 0; i < pcm.length; i++) {
            double t = i / 16000.0;
            boolean voiced = (int) (t / 0.4) % 3 != 2;
            pcm[i] = (float) (voiced ? 0.3 * Math.sin(2 * Math.PI * 140 * t) + 0.05 * r.nextGaussian() : 0.002 * r.nextGaussian());
        }
        return pcm;
    }

    static void assertPlaced(List<RecognizedWord> words, double offset, double seconds) {
        double prev = offset;
        for (RecognizedWord w : words) {
            assertTrue(w.start() >= prev - 1e-9, "monotonic: " + words);
            assertTrue(w.end() >= w.start(), "ends after it starts: " + w);
            assertTrue(w.start() >= offset - 1e-9 && w.end() <= offset + seconds + 1e-9, "inside the region: " + w);
            assertTrue(w.confidence() >= 0 && w.confidence() <= 1, "confidence is a probability: " + w);
            assertFalse(w.word().isBlank());
            prev = w.end();
        }
    }

    @Test
    void decodesEndToEndWithWordTimesInsideTheRegion() {
        float[] pcm = speechLike(4.0, 1);
        List<RecognizedWord> words = whisper.recognize(pcm, 12.5);
        System.out.println("tiny whisper words: " + words);
        assertFalse(words.isEmpty(), "the generated model emits text tokens between its timestamps");
        assertPlaced(words, 12.5, 4.0);
        assertEquals(words, whisper.recognize(pcm, 12.5), "greedy decoding is deterministic");
        assertEquals("en", whisper.language(), "detected language is reported");
        assertTrue(whisper.name().endsWith("-demo"), whisper.name());
    }
}
