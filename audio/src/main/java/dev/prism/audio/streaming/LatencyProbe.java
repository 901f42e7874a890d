package dev.prism.audio.streaming;

import dev.prism.audio.asr.RecognizedWord;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds a stream through a {@link StreamingRecognizer} as fast as it allows, in network-sized chunks, and
 * records for every final word its latency: the audio fed beyond the word's end when it was committed
 * (audio-time latency, deterministic) plus the processing time of the step that committed it (what a
 * listener fed at real time waits on top). The processing time is the feeding thread's CPU time, which a
 * busy machine does not inflate; wall time is kept too. Used by AsrBench and the streaming tests.
 */
public final class LatencyProbe {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** One committed word: when it was committed (stream time) and how long that step took. */
    public record Final(RecognizedWord word, double streamTime, double stepCpuSeconds, double stepWallSeconds) {
        public double audioLatency() {
            return streamTime - word.end();
        }

        /** Audio-time latency plus the committing step's processing (CPU) time. */
        public double latency() {
            return audioLatency() + stepCpuSeconds;
        }
    }

    /**
     * @param finals           every final word in order
     * @param maxBufferSeconds the most audio the recognizer held after any chunk
     * @param cpuSeconds       feeding thread CPU time over the whole stream
     * @param wallSeconds      wall time over the whole stream
     * @param audioSeconds     stream length
     * @param stepCpuSeconds   feeding thread CPU time of every accept/finish call, in order
     */
    public record Report(List<Final> finals, double maxBufferSeconds, double cpuSeconds, double wallSeconds,
                         double audioSeconds, List<Double> stepCpuSeconds) {
        /** Finals whose word ends in [from, to) seconds of stream time. */
        public List<Final> between(double from, double to) {
            return finals.stream().filter(f -> f.word().end() >= from && f.word().end() < to).toList();
        }
    }

    private LatencyProbe() {
    }

    public static Report run(StreamingRecognizer recognizer, float[] pcm16k, int chunkSamples) {
        List<Final> finals = new ArrayList<>();
        List<Double> steps = new ArrayList<>();
        double maxBuffer = 0;
        long wall0 = System.nanoTime();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < pcm16k.length + chunkSamples; i += chunkSamples) { // the last pass calls finish()
            long w = System.nanoTime();
            long c = THREADS.getCurrentThreadCpuTime();
            List<TranscriptEvent> events = i < pcm16k.length
                    ? recognizer.accept(new AudioChunk(Arrays.copyOfRange(pcm16k, i, Math.min(pcm16k.length, i + chunkSamples)),
                            i / 16000.0))
                    : recognizer.finish();
            double cpu = (THREADS.getCurrentThreadCpuTime() - c) / 1e9;
            double wall = (System.nanoTime() - w) / 1e9;
            steps.add(cpu);
            maxBuffer = Math.max(maxBuffer, recognizer.bufferSeconds());
            for (TranscriptEvent e : events) {
                if (e.isFinal()) {
                    for (RecognizedWord word : e.words()) {
                        finals.add(new Final(word, e.streamTime(), cpu, wall));
                    }
                }
            }
        }
        return new Report(finals, maxBuffer, (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9,
                (System.nanoTime() - wall0) / 1e9, pcm16k.length / 16000.0, List.copyOf(steps));
    }
}
