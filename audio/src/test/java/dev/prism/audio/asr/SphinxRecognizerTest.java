package dev.prism.audio.asr;

import dev.prism.audio.Assets;
import dev.prism.audio.SharedSphinx;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SphinxRecognizerTest {
    /** What the tuned default configuration reaches on the three LibriVox clips (9 errors / 41 words), plus a margin. */
    static final double MAX_WER = 0.27;

    @Test
    void librivoxClipsAreRecognizedWithinTheTunedWordErrorRate() throws Exception {
        SpeechRecognizer asr = SharedSphinx.get();
        int errors = 0;
        int words = 0;
        for (String id : Assets.LIBRIVOX) {
            float[] pcm = Assets.wav(id + ".wav");
            String ref = Files.readString(Assets.speech(id + ".txt"));
            List<RecognizedWord> hyp = asr.recognize(pcm, 100.0);
            List<String> r = WordErrorRate.normalize(ref);
            errors += WordErrorRate.editDistance(r, hyp.stream().map(RecognizedWord::word).toList());
            words += r.size();
            double clipEnd = 100.0 + pcm.length / 16000.0;
            for (int i = 0; i < hyp.size(); i++) {
                RecognizedWord w = hyp.get(i);
                assertTrue(w.start() >= 100.0 && w.end() <= clipEnd + 1e-6, "word outside the clip: " + w);
                assertTrue(w.confidence() >= 0 && w.confidence() <= 1);
                if (i > 0) {
                    assertTrue(w.start() >= hyp.get(i - 1).end() - 1e-9, "not monotonic: " + w);
                }
            }
        }
        double wer = errors / (double) words;
        assertTrue(wer <= MAX_WER, "WER " + wer + " (" + errors + "/" + words + ")");
        assertTrue(words == 41);
    }

    @Test
    void werIsAWordLevelEditDistance() {
        assertEquals(0.0, WordErrorRate.of("Hello, World!", "hello world"));
        assertEquals(0.5, WordErrorRate.of("a b c d", "a x c"));
        assertEquals(List.of("don't", "stop"), WordErrorRate.normalize("'Don't' stop."));
        assertEquals(1.0, WordErrorRate.of("", "noise"));
    }

    @Test
    void pooledDecodersGiveTheSameWordsConcurrentlyAsSequentially() throws Exception {
        SpeechRecognizer asr = SharedSphinx.get();
        float[] pcm = Assets.wav(Assets.LIBRIVOX[2] + ".wav");
        List<RecognizedWord> sequential = asr.recognize(pcm, 0);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> asr.recognize(pcm, 0));
            var b = pool.submit(() -> asr.recognize(pcm, 0));
            assertEquals(sequential, a.get());
            assertEquals(sequential, b.get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anUnknownConfigPropertyIsRefusedByName() {
        SphinxOptions bad = SphinxOptions.defaults().with("phoneticLookaheadWindw", "8");
        dev.prism.audio.AudioException e = org.junit.jupiter.api.Assertions.assertThrows(dev.prism.audio.AudioException.class,
                () -> new SphinxRecognizer(bad).close());
        assertTrue(e.getMessage().contains("phoneticLookaheadWindw") && e.getMessage().contains("phoneticLookaheadWindow"),
                e.getMessage());
    }

    @Test
    void tooShortInputHasNoWords() {
        assertTrue(SharedSphinx.get().recognize(new float[800], 0).isEmpty());
    }
}
