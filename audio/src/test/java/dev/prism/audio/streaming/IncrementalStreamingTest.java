package dev.prism.audio.streaming;

import dev.prism.audio.TranscriberOptions;
import dev.prism.audio.asr.RecognizedWord;
import dev.prism.audio.asr.whisper.WhisperOptions;
import dev.prism.audio.vad.EnergyVad;
import dev.prism.audio.vad.VadOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StreamingOptions.Decoding#INCREMENTAL} with a scripted incremental recognizer (real Sphinx4 streaming is in
 * {@link SphinxStreamingTest}): every word committed once and in order, no audio decoded twice, buffer, latency and
 * decoder state bounded over long streams.
 */
class IncrementalStreamingTest {

    @Test
    void fiveMinutesCommitEveryWordOnceInOrderDecodingEachSampleOnceWithFlatLatency() {
        SyntheticSpeech s = new SyntheticSpeech(300, 7);
        SyntheticSpeech.ScriptedIncremental asr = s.new ScriptedIncremental();
        StreamingOptions o = StreamingOptions.defaults();
        StreamingRecognizer sr = new StreamingRecognizer(asr, new EnergyVad(), o);
        assertTrue(sr.incremental());
        LatencyProbe.Report rep = LatencyProbe.run(sr, s.pcm, 3200); // 200 ms network chunks
        // LocalAgreement never committed an unstable ("-guess") word, none was lost, repeated or reordered
        assertEquals(s.truth.stream().map(RecognizedWord::word).toList(),
                rep.finals().stream().map(f -> f.word().word()).toList());
        for (int i = 1; i < rep.finals().size(); i++) {
            assertTrue(rep.finals().get(i).word().start() >= rep.finals().get(i - 1).word().end() - 1e-9);
            assertTrue(rep.finals().get(i).streamTime() >= rep.finals().get(i - 1).streamTime());
        }
        // incremental: the decoder got each sample of speech at most once (re-decoding would feed it many times)
        assertTrue(asr.fedSeconds <= s.pcm.length / 16000.0, "decoded " + asr.fedSeconds + " s of a 300 s stream");
        assertTrue(asr.fedSeconds > 0.5 * s.truth.size() * 0.2, "decoded only " + asr.fedSeconds + " s");
        assertTrue(rep.maxBufferSeconds() <= o.maxBufferSeconds() + o.overlapSeconds() + 0.2 + 1e-9,
                "buffer held " + rep.maxBufferSeconds() + " s");
        double first = mean(rep.between(0, 60));
        double last = mean(rep.between(238, 298));
        double max = rep.finals().stream().mapToDouble(LatencyProbe.Final::audioLatency).max().orElseThrow();
        assertTrue(last <= first + 0.2, "audio-time latency grows: " + first + " -> " + last);
        // a word is committed by the second hypothesis that holds it stable: at most ~2 steps plus the 0.3 s the
        // scripted decoder keeps a word unstable, or at its region's end (0.3 s of silence plus the VAD's padding)
        assertTrue(max <= 3 * o.chunkSeconds() + 0.3 + 0.2 + 1e-9, "max audio-time latency " + max);
    }

    @Test
    void unbrokenSpeechIsCutIntoBoundedUtterancesAndStillCommitted() {
        SyntheticSpeech s = new SyntheticSpeech(60, 3);
        // the VAD never closes a region (pauses are shorter than its minimum silence); utterances of at most 10 s
        StreamingOptions o = new StreamingOptions(0.5, 0.5, 2.0, 5.0,
                new VadOptions(0.5f, 0.35f, 250, 2000, 30, 3000, 10), 2.0, StreamingOptions.Decoding.INCREMENTAL);
        SyntheticSpeech.ScriptedIncremental asr = s.new ScriptedIncremental();
        LatencyProbe.Report rep = LatencyProbe.run(new StreamingRecognizer(asr, new EnergyVad(), o), s.pcm, 3200);
        assertTrue(asr.utterances >= 5, "utterances " + asr.utterances);
        assertTrue(asr.maxUtteranceSeconds <= 10 + 0.2 + 1e-9, "utterance of " + asr.maxUtteranceSeconds + " s");
        List<String> words = rep.finals().stream().map(f -> f.word().word()).toList();
        Set<String> seen = new HashSet<>();
        int prev = -1;
        for (String w : words) {
            int n = Integer.parseInt(w.replace("-guess", "").substring(1));
            assertTrue(n > prev, "word " + w + " after w" + prev);
            assertTrue(seen.add(w));
            prev = n;
        }
        // only a word cut by an utterance end may be lost or guessed
        assertTrue(words.size() >= s.truth.size() - asr.utterances, words.size() + " of " + s.truth.size());
        double maxLatency = rep.between(0, 58).stream().mapToDouble(LatencyProbe.Final::audioLatency).max().orElseThrow();
        assertTrue(maxLatency < o.maxBufferSeconds() + o.chunkSeconds(), "latency " + maxLatency);
        assertTrue(rep.maxBufferSeconds() <= o.maxBufferSeconds() + o.overlapSeconds() + 0.2 + 1e-9);
    }

    @Test
    void aRecognizerWithoutIncrementalDecodingReDecodes() {
        SyntheticSpeech s = new SyntheticSpeech(20, 5);
        SyntheticSpeech.ScriptedRecognizer asr = s.new ScriptedRecognizer();
        StreamingRecognizer sr = new StreamingRecognizer(asr, new EnergyVad(), StreamingOptions.defaults());
        assertTrue(!sr.incremental());
        LatencyProbe.Report rep = LatencyProbe.run(sr, s.pcm, 3200);
        // re-decoding: the scripted recognizer's guess for a word cut by the window end may be committed when two
        // consecutive windows cut it alike (0.5 s steps, words up to 0.6 s), so compare the words it stands for
        assertEquals(s.truth.stream().map(RecognizedWord::word).toList(),
                rep.finals().stream().map(f -> f.word().word().replace("-guess", "")).toList());
        assertTrue(asr.decodedSeconds > 20, "re-decoded " + asr.decodedSeconds + " s of a 20 s stream");
    }

    @Test
    void incrementalIsTheDefaultAndWhisperKeepsTheReDecodingDefaults() {
        assertEquals(StreamingOptions.Decoding.INCREMENTAL, StreamingOptions.defaults().decoding());
        assertEquals(StreamingOptions.Decoding.INCREMENTAL, TranscriberOptions.defaults().streaming().decoding());
        TranscriberOptions whisper = TranscriberOptions.defaults().withWhisper(WhisperOptions.defaults(Path.of("ckpt")));
        assertEquals(StreamingOptions.redecodeDefaults(), whisper.streaming());
        StreamingOptions chosen = StreamingOptions.defaults().withChunkSeconds(0.3);
        assertEquals(chosen, TranscriberOptions.defaults().withStreaming(chosen).withWhisper(
                WhisperOptions.defaults(Path.of("ckpt"))).streaming());
        assertThrows(IllegalArgumentException.class, () -> StreamingOptions.defaults().withDecoding(null));
    }

    private static double mean(List<LatencyProbe.Final> finals) {
        return finals.stream().mapToDouble(LatencyProbe.Final::audioLatency).average().orElseThrow();
    }
}
