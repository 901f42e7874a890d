package dev.prism.audio.asr.whisper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
        dir = TinyWhisper.writeRecognizer(tmp.resolve("tiny-whisper.en"), 11, false);
        whisper = WhisperRecognizer.load(fast(dir));
    }

    /**
     * Random weights give low log probabilities everywhere, so the log-probability and no-speech gates are off
     * here (they have their own tests); a two-step ladder keeps the compression fallback and the test fast.
     */
    static WhisperOptions fast(Path dir) {
        return WhisperOptions.defaults(dir).withThresholds(2.4, Double.NaN, Double.NaN).withTemperatures(List.of(0.0, 0.6));
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
        assertEquals("en", whisper.language(), "an English-only model reports en");
        assertTrue(whisper.name().endsWith("-demo"), whisper.name());
        assertTrue(whisper.isDemo());
    }

    @Test
    void withoutWordTimestampsOrTimestampTokensWordsStillFitTheRegion() {
        float[] pcm = speechLike(3.0, 2);
        try (WhisperRecognizer plain = WhisperRecognizer.load(fast(dir).withWordTimestamps(false))) {
            List<RecognizedWord> w = plain.recognize(pcm, 2.0);
            assertFalse(w.isEmpty());
            assertPlaced(w, 2.0, 3.0);
        }
        try (WhisperRecognizer noTs = WhisperRecognizer.load(fast(dir).withTimestamps(false))) {
            // the random model may spend this window on special tokens (Whisper does not suppress timestamps
            // after <|notimestamps|> either), so only the placement is checked
            assertPlaced(noTs.recognize(pcm, 0), 0, 3.0);
        }
    }

    @Test
    void repetitiveOutputClimbsTheTemperatureLadder() {
        float[] pcm = speechLike(4.0, 1);
        try (WhisperRecognizer off = WhisperRecognizer.load(fast(dir).withThresholds(Double.NaN, Double.NaN, Double.NaN))) {
            DecodeResult greedy = off.decodeFirstWindow(pcm, "en");
            assertEquals(0.0, greedy.temperature(), "gates off: the greedy result is kept");
            assertTrue(greedy.compressionRatio() > 2.4, "the random model loops at 0.0: " + greedy.text());
        }
        DecodeResult r = whisper.decodeFirstWindow(pcm, "en");
        assertEquals(0.6, r.temperature(), "ratio above 2.4 at 0.0: decoded again at the next temperature");
    }

    @Test
    void startSequenceFollowsTheModelKind() throws Exception {
        Path ml = TinyWhisper.writeRecognizer(tmp.resolve("tiny-sot"), 5, true);
        try (WhisperRecognizer multi = WhisperRecognizer.load(fast(ml))) {
            WhisperTokens t = multi.tokens();
            assertTrue(t.multilingual());
            assertEquals(List.of("en", "de"), List.copyOf(new java.util.TreeMap<>(t.languages()).descendingKeySet()));
            long[] sot = t.sotSequence("de", "transcribe");
            assertEquals(3, sot.length);
            assertEquals(t.sot(), sot[0]);
            assertEquals((long) t.languages().get("de"), sot[1]);
            assertEquals(t.transcribe(), sot[2]);
            assertEquals(t.translate(), t.sotSequence("en", "translate")[2]);
            assertEquals(t.noTimestamps() + 1, t.timestampBegin());
            assertEquals(t.noTimestamps() - 1, t.noSpeech(), "<|nospeech|> sits right before <|notimestamps|>");
        }
        WhisperTokens en = whisper.tokens();
        assertFalse(en.multilingual());
        assertArrayEquals(new long[] {en.sot()}, en.sotSequence(null, "transcribe"), ".en models: no language or task token");
    }

    @Test
    void concurrentCallsGiveTheSameWordsAsSequentialOnes() throws Exception {
        float[] a = speechLike(2.5, 7);
        float[] b = speechLike(3.5, 8);
        List<RecognizedWord> wa = whisper.recognize(a, 0);
        List<RecognizedWord> wb = whisper.recognize(b, 10);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var fa = pool.submit(() -> whisper.recognize(a, 0));
            var fb = pool.submit(() -> whisper.recognize(b, 10));
            assertEquals(wa, fa.get());
            assertEquals(wb, fb.get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void noSpeechWindowsAreSkipped() {
        // every window's no-speech probability is above 0, and no log-probability threshold vouches for it
        try (WhisperRecognizer strict = WhisperRecognizer.load(fast(dir).withThresholds(2.4, Double.NaN, 0.0))) {
            assertEquals(List.of(), strict.recognize(speechLike(2.0, 3), 0));
        }
    }

    @Test
    void languageIsDetectedAsTheMostLikelyLanguageToken() throws Exception {
        Path ml = TinyWhisper.writeRecognizer(tmp.resolve("tiny-ml"), 5, true);
        try (WhisperRecognizer w = WhisperRecognizer.load(fast(ml));
             dev.prism.llm.whisper.WhisperModel m = dev.prism.llm.whisper.WhisperModel.load(ml,
                     dev.prism.llm.runtime.RuntimeOptions.threads(1))) {
            float[] pcm = speechLike(2.0, 4);
            assertEquals("und", w.language(), "nothing detected yet");
            String detected = w.detectLanguage(pcm);
            // independently: the start-of-transcript logits of the same window, language tokens only
            float[][] mel = new dev.prism.audio.features.WhisperLogMel(80).compute(java.util.Arrays.copyOf(pcm, pcm.length + 1600));
            float[] window = new float[80 * 3000];
            for (int b = 0; b < 80; b++) {
                System.arraycopy(mel[b], 0, window, b * 3000, pcm.length / 160);
            }
            long sot = m.spec().decoderStart();
            float[] logits = m.decoder(m.encode(window, 3000)).feed(new long[] {sot}, false).last();
            String want = logits[(int) sot + 1] >= logits[(int) sot + 2] ? "en" : "de";
            assertEquals(want, detected);
            w.recognize(pcm, 0);
            assertEquals(want, w.language(), "language() reports the last detected language");
        }
        try (WhisperRecognizer de = WhisperRecognizer.load(fast(ml).withLanguage("de"))) {
            assertEquals("de", de.language(), "a configured language is reported as is");
        }
        assertThrows(AudioException.class, () -> WhisperRecognizer.load(fast(ml).withLanguage("fr")),
                "a language the model does not have is refused at load");
    }

    @Test
    void transcriberLoadsWhisperByConfigurationAndLabelsDemoOutput() {
        TranscriberOptions o = TranscriberOptions.defaults().withWhisper(fast(dir));
        try (Transcriber t = new Transcriber(o)) {
            assertTrue(t.recognizer() instanceof WhisperRecognizer);
            float[] pcm = new float[16000 * 5];
            float[] speech = speechLike(3.0, 6);
            System.arraycopy(speech, 0, pcm, 16000, speech.length);
            Transcript tr = t.transcribe(pcm);
            assertTrue(tr.flags().contains(Transcriber.FLAG_DEMO), "generated checkpoint: " + tr.flags());
            assertTrue(tr.recognizer().endsWith("-demo"));
            assertTrue(TranscriptJson.write(tr).contains("\"demo\""));
            double prev = 0;
            for (var w : tr.words()) {
                assertTrue(w.start() >= prev - 1e-9 && w.end() <= 5.0 + 1e-9, "word times monotonic and inside: " + w);
                prev = w.end();
            }
        }
    }

    @Test
    void aMissingOrInvalidModelDirectoryIsAClearError() {
        Path nowhere = tmp.resolve("no-such-model");
        AudioException e = assertThrows(AudioException.class, () -> WhisperRecognizer.load(WhisperOptions.defaults(nowhere)));
        assertTrue(e.getMessage().contains(nowhere.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("prism.audio.whisper.model-dir"), e.getMessage());
        AudioException unset = assertThrows(AudioException.class, () -> new Transcriber(
                TranscriberOptions.defaults().withWhisper(null)));
        assertTrue(unset.getMessage().contains("prism.audio.whisper.model-dir"), unset.getMessage());
        float[] bad = new float[1600];
        bad[7] = Float.NaN;
        AudioException nan = assertThrows(AudioException.class, () -> whisper.recognize(bad, 0));
        assertTrue(nan.getMessage().contains("sample 7"), nan.getMessage());
        assertEquals(List.of(), whisper.recognize(new float[100], 0), "shorter than one mel frame: no words");
    }
}
