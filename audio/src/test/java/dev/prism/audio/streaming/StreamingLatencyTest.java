package dev.prism.audio.streaming;

import dev.prism.audio.asr.RecognizedWord;
import dev.prism.audio.vad.EnergyVad;
import dev.prism.audio.vad.VadOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingLatencyTest {

    private static List<TranscriptEvent> run(SyntheticSpeech s, SyntheticSpeech.ScriptedRecognizer asr,
                                             StreamingOptions o, int chunkSamples) {
        StreamingRecognizer sr = new StreamingRecognizer(asr, new EnergyVad(), o);
        List<TranscriptEvent> events = new ArrayList<>();
        for (int i = 0; i < s.pcm.length; i += chunkSamples) {
            float[] c = Arrays.copyOfRange(s.pcm, i, Math.min(s.pcm.length, i + chunkSamples));
            events.addAll(sr.accept(new AudioChunk(c, i / 16000.0)));
        }
        events.addAll(sr.finish());
        return events;
    }

    @Test
    void everyWordIsCommittedOnceInOrderWithFlatLatencyOverFiveMinutes() {
        SyntheticSpeech s = new SyntheticSpeech(300, 7);
        SyntheticSpeech.ScriptedRecognizer asr = s.new ScriptedRecognizer();
        StreamingOptions o = StreamingOptions.redecodeDefaults();
        List<TranscriptEvent> events = run(s, asr, o, 3200); // 200 ms network chunks
        List<RecognizedWord> finals = new ArrayList<>();
        List<Double> latency = new ArrayList<>();
        for (TranscriptEvent e : events) {
            if (e.isFinal()) {
                for (RecognizedWord w : e.words()) {
                    finals.add(w);
                    latency.add(e.streamTime() - w.end());
                }
            }
        }
        assertEquals(s.truth.stream().map(RecognizedWord::word).toList(), finals.stream().map(RecognizedWord::word).toList());
        int n = latency.size();
        double firstMinute = latency.subList(0, n / 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double lastMinute = latency.subList(4 * n / 5, n).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double max = latency.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        System.out.printf("synthetic 5 min stream: final-word latency first minute %.3f s, last minute %.3f s, max %.3f s, "
                + "max window %.2f s, decoded %.1f s of audio%n", firstMinute, lastMinute, max, asr.maxWindowSeconds, asr.decodedSeconds);
        assertTrue(lastMinute < firstMinute + 0.3, "latency grows: " + firstMinute + " -> " + lastMinute);
        assertTrue(max < 2.5, "max final-word latency " + max);
        assertTrue(lastMinute < 2.0, "mean latency " + lastMinute);
        // bounded buffer: no recognition window longer than max buffer + overlap + one chunk
        assertTrue(asr.maxWindowSeconds <= o.maxBufferSeconds() + o.overlapSeconds() + o.chunkSeconds() + 0.1,
                "window " + asr.maxWindowSeconds);
        // finals are monotonic and never before already committed words
        for (int i = 1; i < finals.size(); i++) {
            assertTrue(finals.get(i).start() >= finals.get(i - 1).end() - 1e-9);
        }
    }

    @Test
    void unbrokenSpeechLongerThanTheBufferStillCommitsWithBoundedLatency() {
        SyntheticSpeech s = new SyntheticSpeech(60, 3);
        // one 60 s sentence: remove the pauses by making the VAD never see silence long enough to close a region
        StreamingOptions o = new StreamingOptions(1.0, 0.5, 4.0, 5.0,
                new VadOptions(0.5f, 0.35f, 250, 2000, 30, 3000, 30), 4.0, StreamingOptions.Decoding.REDECODE);
        SyntheticSpeech.ScriptedRecognizer asr = s.new ScriptedRecognizer();
        List<TranscriptEvent> events = run(s, asr, o, 16000);
        double maxLatency = 0;
        int committed = 0;
        for (TranscriptEvent e : events) {
            if (e.isFinal() && e.streamTime() < 59) {
                for (RecognizedWord w : e.words()) {
                    maxLatency = Math.max(maxLatency, e.streamTime() - w.end());
                    committed++;
                }
            }
        }
        assertTrue(committed > s.truth.size() / 2, "committed before the end " + committed + " of " + s.truth.size());
        assertTrue(maxLatency < o.maxBufferSeconds() + o.chunkSeconds(), "latency " + maxLatency);
        assertTrue(asr.maxWindowSeconds <= o.maxBufferSeconds() + o.overlapSeconds() + o.chunkSeconds() + 0.1);
    }

    /**
     * Flatness over a one-minute stream with the default options: the worst final-word latency (audio time) of the
     * last 20 s is within 0.5 s of the first 20 s, the longest re-decoded window late in the stream is no longer
     * than early on (work per step does not grow with the stream), and the buffer never exceeds its bound.
     */
    @Test
    void finalWordLatencyAndWorkPerStepDoNotGrowOverAMinute() {
        SyntheticSpeech s = new SyntheticSpeech(60, 11);
        SyntheticSpeech.ScriptedRecognizer asr = s.new ScriptedRecognizer();
        StreamingOptions o = StreamingOptions.redecodeDefaults();
        LatencyProbe.Report rep = LatencyProbe.run(new StreamingRecognizer(asr, new EnergyVad(), o), s.pcm, 3200);
        assertEquals(s.truth.stream().map(RecognizedWord::word).toList(),
                rep.finals().stream().map(f -> f.word().word()).toList());
        double firstMax = rep.between(0, 20).stream().mapToDouble(LatencyProbe.Final::audioLatency).max().orElseThrow();
        double lastMax = rep.between(38, 58).stream().mapToDouble(LatencyProbe.Final::audioLatency).max().orElseThrow();
        assertTrue(lastMax <= firstMax + 0.5, "latency grows: max " + firstMax + " s early, " + lastMax + " s late");
        assertTrue(lastMax < 2.0, "final-word latency " + lastMax);
        double early = asr.maxWindowBetween(0, 20);
        double late = asr.maxWindowBetween(38, 60);
        assertTrue(late <= early + 0.5, "re-decoded window grows: " + early + " s early, " + late + " s late");
        assertTrue(late <= o.fullRegionSeconds() + o.overlapSeconds() + o.chunkSeconds() + 0.1, "window " + late);
        assertTrue(rep.maxBufferSeconds() <= o.maxBufferSeconds() + o.overlapSeconds() + o.chunkSeconds() + 1e-9,
                "buffer held " + rep.maxBufferSeconds() + " s");
    }

    @Test
    void localAgreementCommitsTheCommonPrefixOnly() {
        LocalAgreement la = new LocalAgreement();
        RecognizedWord a = new RecognizedWord("a", 0, 1, 1);
        RecognizedWord b = new RecognizedWord("b", 1, 2, 1);
        RecognizedWord c = new RecognizedWord("c", 2, 3, 1);
        RecognizedWord x = new RecognizedWord("x", 2, 3, 1);
        assertTrue(la.update(List.of(a, b)).isEmpty());
        assertEquals(List.of(a, b), la.update(List.of(a, b, x)));
        assertTrue(la.update(List.of(c)).isEmpty());
        assertEquals(List.of(c), la.update(List.of(c)));
    }
}
