package dev.prism.audio;

import dev.prism.audio.asr.WordErrorRate;
import dev.prism.audio.subtitles.Cue;
import dev.prism.audio.subtitles.CueBuilder;
import dev.prism.audio.subtitles.CueRules;
import dev.prism.audio.subtitles.SubtitleWriter;
import dev.prism.audio.transcript.Segment;
import dev.prism.audio.transcript.Transcript;
import dev.prism.audio.transcript.Word;
import dev.prism.audio.vad.EnergyVad;
import dev.prism.audio.vad.SileroVad;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TranscriberTest {
    private static SileroVad silero;
    private static Transcriber transcriber;

    @BeforeAll
    static void load() {
        silero = new SileroVad(Assets.sileroModel());
        transcriber = new Transcriber(SharedSphinx.get(), silero, TranscriberOptions.defaults());
    }

    @AfterAll
    static void close() {
        silero.close();
    }

    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int o = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    @Test
    void twoClipsWithAPauseGiveTwoSegmentsWithTimedWordsInside() throws Exception {
        float[] a = Assets.wav(Assets.LIBRIVOX[2] + ".wav");
        float[] b = Assets.wav(Assets.LIBRIVOX[0] + ".wav");
        float[] pcm = concat(new float[8000], a, new float[24000], b);
        Transcript t = transcriber.transcribe(pcm);
        assertEquals("en", t.language());
        assertEquals("sphinx4-en-us", t.recognizer());
        assertTrue(t.flags().isEmpty(), "flags " + t.flags());
        assertTrue(t.segments().size() >= 2, "segments " + t.segments().size());
        double secondStart = (8000 + a.length + 24000) / 16000.0;
        // the pause separates the clips: no segment straddles it
        for (Segment s : t.segments()) {
            assertTrue(s.end() <= secondStart - 0.5 || s.start() >= secondStart - 0.1, "segment spans the pause " + s);
        }
        double prev = 0;
        for (Segment s : t.segments()) {
            for (Word w : s.words()) {
                assertTrue(w.start() >= s.start() && w.end() <= s.end(), w + " outside " + s);
                assertTrue(w.start() >= prev - 1e-9, "not monotonic at " + w);
                prev = w.end();
            }
        }
        // subtitles of a real transcript keep the cue rules
        List<Cue> cues = new CueBuilder(CueRules.defaults()).build(t);
        assertTrue(!cues.isEmpty());
        for (int i = 0; i < cues.size(); i++) {
            Cue c = cues.get(i);
            assertTrue(c.lines().size() <= 2 && c.lines().stream().allMatch(l -> l.length() <= 42), c.toString());
            assertTrue(c.endMs() - c.startMs() <= 7000, c.toString());
            assertTrue(i == 0 || cues.get(i - 1).endMs() <= c.startMs());
        }
        assertTrue(cues.get(0).startMs() >= Math.round(t.words().get(0).start() * 1000));
        assertTrue(SubtitleWriter.vtt(cues).startsWith("WEBVTT\n\n00:00:0"));
        String ref = Files.readString(Assets.speech(Assets.LIBRIVOX[2] + ".txt")) + " "
                + Files.readString(Assets.speech(Assets.LIBRIVOX[0] + ".txt"));
        double wer = WordErrorRate.of(ref, t.text());
        assertTrue(wer < 0.35, "WER " + wer + ": " + t.text() + " " + t.segments());
    }

    @Test
    void silenceGivesAnEmptyTranscriptFlaggedNoSpeech() {
        Transcript t = transcriber.transcribe(new float[16000 * 3]);
        assertTrue(t.segments().isEmpty());
        assertEquals(java.util.List.of(Transcript.FLAG_NO_SPEECH), t.flags());
        assertTrue(transcriber.transcribe(new float[0]).segments().isEmpty());
    }

    @Test
    void whiteNoiseGivesNoWordsWithEitherVad() {
        Random r = new Random(1);
        float[] noise = new float[16000 * 4];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (0.1 * r.nextGaussian());
        }
        Transcript withSilero = transcriber.transcribe(noise);
        assertTrue(withSilero.segments().isEmpty(), "silero: " + withSilero.text());
        Transcript withEnergy = new Transcriber(SharedSphinx.get(), new EnergyVad(), TranscriberOptions.defaults())
                .transcribe(noise);
        assertTrue(withEnergy.segments().isEmpty(), "energy: " + withEnergy.text());
    }

    @Test
    void clippedSpeechIsFlagged() {
        float[] pcm = Assets.wav(Assets.LIBRIVOX[2] + ".wav");
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = Math.max(-1f, Math.min(1f, pcm[i] * 40));
        }
        Transcript t = transcriber.transcribe(pcm);
        assertTrue(t.flags().contains(Transcript.FLAG_CLIPPED), "flags " + t.flags());
    }

    @Test
    void invalidInputIsRefusedWithAClearMessage() {
        float[] bad = new float[1000];
        bad[10] = Float.NaN;
        AudioException e = assertThrows(AudioException.class, () -> transcriber.transcribe(bad));
        assertTrue(e.getMessage().contains("sample 10"), e.getMessage());
        assertThrows(AudioException.class, () -> new Transcriber(
                new TranscriberOptions(TranscriberOptions.Recognizer.WHISPER, TranscriberOptions.defaults().sphinx(), null,
                        TranscriberOptions.defaults().vad(), TranscriberOptions.defaults().streaming(), 0.3, 0.001)));
        assertThrows(AudioException.class, () -> new SileroVad(Assets.root().resolve("models/nope.onnx")));
    }
}
