package dev.prism.audio.streaming;

import dev.prism.audio.AudioException;
import dev.prism.audio.asr.IncrementalRecognizer;
import dev.prism.audio.asr.RecognizedWord;
import dev.prism.audio.asr.SpeechRecognizer;
import dev.prism.audio.vad.SpeechRegion;
import dev.prism.audio.vad.SpeechSegmenter;
import dev.prism.audio.vad.VoiceActivityDetector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Streaming transcription over a bounded buffer. Every {@code chunkSeconds} of new audio: VAD over the
 * buffer; the open region (speech reaching the end of the buffer) is re-decoded, from its start while it is at
 * most {@code fullRegionSeconds} long, else from the last committed word with {@code overlapSeconds} of left
 * context, and its new words are committed by {@link LocalAgreement} (LocalAgreement-2) once two consecutive
 * hypotheses agree. On every chunk received, a region followed by {@code closeSilenceSeconds} of silence is
 * closed and its remaining words committed at once (VAD end of region), from the last hypothesis when that
 * already covered the region, else from one decode of its uncommitted part. When the uncommitted speech
 * exceeds {@code maxBufferSeconds} its oldest hypothesis words are committed without agreement. The buffer is
 * trimmed at committed word/region boundaries, so audio held, audio re-decoded per step and final-word latency
 * stay bounded over a stream of any length. That is {@link StreamingOptions.Decoding#REDECODE}; with
 * {@link StreamingOptions.Decoding#INCREMENTAL} and a recognizer that supports it, {@link IncrementalStreaming} does
 * the work instead (one decoder follows the stream, each chunk costs only its own audio). Not thread-safe: one
 * instance per stream; {@link #finish} releases what the stream holds.
 */
public final class StreamingRecognizer implements AutoCloseable {
    private static final int SR = SpeechRecognizer.SAMPLE_RATE;
    /** How much later than a closed region's decode start a reused hypothesis may have started (VAD jitter). */
    private static final double REUSE_TOLERANCE = 0.1;

    private final SpeechRecognizer asr;
    private final VoiceActivityDetector vad;
    private final SpeechSegmenter segmenter;
    private final StreamingOptions options;
    private final LocalAgreement agreement = new LocalAgreement();
    /** The incremental engine, or null when this stream re-decodes. */
    private final IncrementalStreaming incremental;

    private final StreamBuffer buf = new StreamBuffer(SR * 4);
    private long lastStepSample;
    private double committedUntil;
    /** Span of the last open-region decode, whose uncommitted words are {@code agreement.pending()}; -1: none. */
    private double hypFrom = -1;
    private double hypEnd = -1;
    private boolean finished;

    public StreamingRecognizer(SpeechRecognizer asr, VoiceActivityDetector vad, StreamingOptions options) {
        this.asr = asr;
        this.vad = vad;
        this.options = options;
        this.segmenter = new SpeechSegmenter(options.vad());
        this.incremental = options.decoding() == StreamingOptions.Decoding.INCREMENTAL
                && asr instanceof IncrementalRecognizer inc
                ? new IncrementalStreaming(inc.openIncremental(), vad, options) : null;
    }

    /** Whether this stream decodes incrementally (the option asked for it and the recognizer supports it). */
    public boolean incremental() {
        return incremental != null;
    }

    private long endSample() {
        return incremental != null ? incremental.endSample() : buf.endSample();
    }

    private double now() {
        return endSample() / (double) SR;
    }

    /**
     * Seconds of audio held now; never more than {@code maxBufferSeconds + overlapSeconds + chunkSeconds}
     * (INCREMENTAL: {@code maxBufferSeconds + overlapSeconds} plus the chunk just received).
     */
    public double bufferSeconds() {
        return incremental != null ? incremental.bufferSeconds() : buf.length() / (double) SR;
    }

    public List<TranscriptEvent> accept(AudioChunk chunk) {
        if (finished) {
            throw new IllegalStateException("stream already finished; start a new StreamingRecognizer");
        }
        long start = Math.round(chunk.startSeconds() * SR);
        float[] pcm = chunk.pcm16k();
        int skip = 0;
        if (start < endSample()) {
            skip = (int) Math.min(pcm.length, endSample() - start); // overlapping resend: keep what we have
        } else if (start > endSample()) {
            long gap = start - endSample();
            if (gap > 600L * SR) {
                throw new AudioException("audio chunk at " + chunk.startSeconds() + " s leaves a gap of more than 10 minutes after "
                        + now() + " s; start a new stream");
            }
            append(new float[(int) gap], 0); // a hole in the stream is silence
        }
        if (incremental != null) {
            return incremental.accept(pcm, skip);
        }
        append(pcm, skip);
        List<TranscriptEvent> events = new ArrayList<>();
        boolean decoded = false;
        while (endSample() - lastStepSample >= Math.round(options.chunkSeconds() * SR)) {
            lastStepSample = Math.min(endSample(), lastStepSample + Math.round(options.chunkSeconds() * SR));
            step(false, true, events);
            decoded = true;
        }
        if (!decoded) {
            step(false, false, events); // a region that ended is committed now, not at the next chunk
        }
        return events;
    }

    /** Ends the stream: everything still open is recognized and committed. */
    /**
     * Ends the stream without committing what is pending (a cancelled or abandoned job): an incremental stream hands
     * its loaded decoder back to the recognizer for the next stream at once instead of when it is collected.
     * Idempotent; after {@link #finish()} there is nothing left to release.
     */
    @Override
    public void close() {
        finished = true;
        if (incremental != null) {
            incremental.close();
        }
    }

    public List<TranscriptEvent> finish() {
        List<TranscriptEvent> events = new ArrayList<>();
        if (!finished) {
            finished = true;
            if (incremental != null) {
                return incremental.finish();
            }
            step(true, true, events);
        }
        return events;
    }

    private void append(float[] pcm, int from) {
        if (incremental != null) {
            incremental.append(pcm, from);
            return;
        }
        buf.append(pcm, from);
    }

    /**
     * One step: VAD over the buffer, commit the regions that ended, and (when {@code decodeOpen}) re-decode the
     * open region and commit what LocalAgreement-2 agrees on. A region that ended is committed from the last
     * open-region hypothesis when that decode already covered the whole region (it saw the region's end and
     * the silence after it), so closing usually costs no decode.
     */
    private void step(boolean last, boolean decodeOpen, List<TranscriptEvent> events) {
        double bufStart = buf.startSample() / (double) SR;
        double end = now();
        float[] audio = buf.copy();
        List<SpeechRegion> regions = buf.length() == 0 ? List.of() : segmenter.regions(vad.speechProbabilities(audio), buf.length());
        List<RecognizedWord> hypothesis = agreement.pending();
        SpeechRegion open = null;
        for (SpeechRegion local : regions) {
            SpeechRegion r = new SpeechRegion(local.start() + bufStart, local.end() + bufStart);
            if (r.end() <= committedUntil + 1e-6) {
                continue;
            }
            boolean closed = last || end - r.end() >= options.closeSilenceSeconds();
            if (!closed) {
                open = r;
                break;
            }
            double from = decodeStart(r, r.end());
            List<RecognizedWord> words;
            if (hypEnd >= r.end() - 1e-6 && hypFrom <= Math.max(from, committedUntil) + REUSE_TOLERANCE) {
                words = new ArrayList<>();
                for (RecognizedWord w : hypothesis) {
                    if (w.start() < r.end() && (w.start() + w.end()) / 2 > committedUntil) {
                        words.add(w);
                    }
                }
            } else {
                words = recognize(from, r.end(), from == r.start());
            }
            emitFinal(events, words, Math.max(from, committedUntil), r.end(), end);
            committedUntil = r.end();
            agreement.reset();
            hypEnd = -1;
        }
        if (open != null && decodeOpen) {
            double from = decodeStart(open, end);
            List<RecognizedWord> hyp = recognize(from, end, from == open.start());
            hypFrom = from;
            hypEnd = end;
            List<RecognizedWord> commit = new ArrayList<>(agreement.update(hyp));
            if (end - Math.max(from, committedUntil) > options.maxBufferSeconds()) {
                // bounded latency: commit what is older than the newest chunk even without agreement
                commit.addAll(agreement.forceEndingBefore(end - options.chunkSeconds()));
            }
            if (!commit.isEmpty()) {
                double segEnd = commit.get(commit.size() - 1).end();
                emitFinal(events, commit, Math.max(committedUntil, commit.get(0).start()), segEnd, end);
                committedUntil = segEnd;
            }
            List<RecognizedWord> pending = agreement.pending();
            events.add(new TranscriptEvent(TranscriptEvent.Type.PARTIAL, pending,
                    committedUntil, end, end));
        } else if (open == null && decodeOpen && !last) {
            agreement.reset();
            hypEnd = -1;
            events.add(new TranscriptEvent(TranscriptEvent.Type.PARTIAL, List.of(), committedUntil, end, end));
        }
        trim(open == null ? end : decodeStart(open, end));
    }

    /**
     * Where decoding of a region starts: at the region start while the region is at most
     * {@code fullRegionSeconds} long (the recognizer keeps its language-model context across words already
     * committed), else at the last committed word.
     */
    private double decodeStart(SpeechRegion r, double to) {
        return to - r.start() <= options.fullRegionSeconds() ? r.start() : Math.max(r.start(), committedUntil);
    }

    /**
     * Words of [from, to], decoded with {@code overlapSeconds} of left context; words whose middle lies before
     * {@code from} or before the last committed word are dropped (already committed or context).
     */
    private List<RecognizedWord> recognize(double from, double to, boolean regionStart) {
        // at a region start the VAD padding is the context, as offline; mid-region the overlap supplies it
        double ctx = regionStart ? from : Math.max(buf.startSample() / (double) SR, from - options.overlapSeconds());
        int a = (int) Math.max(0, Math.round(ctx * SR) - buf.startSample());
        int b = (int) Math.min(buf.length(), Math.round(to * SR) - buf.startSample());
        if (b - a <= 0) {
            return List.of();
        }
        List<RecognizedWord> out = new ArrayList<>();
        for (RecognizedWord w : asr.recognize(Arrays.copyOfRange(buf.samples(), a, b), ctx)) {
            double mid = (w.start() + w.end()) / 2;
            if (mid > from && mid > committedUntil) {
                out.add(w.start() < committedUntil ? new RecognizedWord(w.word(), committedUntil, w.end(), w.confidence()) : w);
            }
        }
        return out;
    }

    private void emitFinal(List<TranscriptEvent> events, List<RecognizedWord> words, double segStart, double segEnd,
                           double streamTime) {
        if (!words.isEmpty()) {
            segStart = Math.min(segStart, words.get(0).start());
            segEnd = Math.max(segEnd, words.get(words.size() - 1).end());
        }
        events.add(new TranscriptEvent(TranscriptEvent.Type.FINAL, words, segStart, segEnd, streamTime));
    }

    /** Drops audio before {@code keepFrom - overlap}: everything before it is committed or silence. */
    private void trim(double keepFrom) {
        long cut = Math.round((keepFrom - options.overlapSeconds()) * SR);
        // keep enough audio for the VAD to see a region start again (one maximum buffer at most)
        cut = Math.max(cut, endSample() - Math.round((options.maxBufferSeconds() + options.overlapSeconds()) * SR));
        cut = Math.min(cut, endSample());
        buf.dropBefore(cut);
    }
}
