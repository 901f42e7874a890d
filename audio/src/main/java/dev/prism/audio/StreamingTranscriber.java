package dev.prism.audio;

import dev.prism.audio.asr.SpeechRecognizer;
import dev.prism.audio.streaming.AudioChunk;
import dev.prism.audio.streaming.StreamingRecognizer;
import dev.prism.audio.streaming.TranscriptEvent;
import dev.prism.audio.transcript.Transcript;
import dev.prism.audio.vad.VoiceActivityDetector;

import java.util.List;

/**
 * One live stream: feed chunks as they arrive, get partial and final {@link TranscriptEvent}s back, and the
 * transcript of everything committed so far. Not thread-safe (one per stream); obtain it from
 * {@link Transcriber#openStream()} so the loaded recognizer is shared.
 */
public final class StreamingTranscriber implements AutoCloseable {
    private final StreamingRecognizer stream;
    private final SpeechRecognizer recognizer;
    private final TranscriberOptions options;
    private final TranscriptAssembler assembler = new TranscriptAssembler();
    private long samples;
    private long saturated;
    private boolean speechFound;

    StreamingTranscriber(SpeechRecognizer recognizer, VoiceActivityDetector vad, TranscriberOptions options) {
        this.recognizer = recognizer;
        this.options = options;
        this.stream = new StreamingRecognizer(recognizer, vad, options.streaming());
    }

    public List<TranscriptEvent> accept(AudioChunk chunk) {
        TranscriptAssembler.checkSamples(chunk.pcm16k(), "stream chunk at " + chunk.startSeconds() + " s");
        samples += chunk.pcm16k().length;
        saturated += TranscriptAssembler.saturated(chunk.pcm16k());
        return record(stream.accept(chunk));
    }

    public List<TranscriptEvent> finish() {
        return record(stream.finish());
    }

    /**
     * Ends the stream without {@link #finish()} (a cancelled job, a stream replaced by another): the recognizer gets
     * its loaded decoder back at once. Idempotent.
     */
    @Override
    public void close() {
        stream.close();
    }

    private List<TranscriptEvent> record(List<TranscriptEvent> events) {
        for (TranscriptEvent e : events) {
            if (e.isFinal()) {
                assembler.add(e.segmentStart(), e.segmentEnd(), e.words());
                speechFound |= !e.words().isEmpty();
            } else {
                speechFound |= !e.words().isEmpty();
            }
        }
        return events;
    }

    /** Transcript of the committed (final) words so far. */
    public Transcript transcript() {
        boolean clipped = samples > 0 && saturated > options.clippedFraction() * samples;
        return assembler.build(recognizer.language(), recognizer.name(), clipped, speechFound, options.minConfidence());
    }
}
