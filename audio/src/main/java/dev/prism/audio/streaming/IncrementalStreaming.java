package dev.prism.audio.streaming;

import dev.prism.audio.asr.IncrementalDecoder;
import dev.prism.audio.asr.RecognizedWord;
import dev.prism.audio.asr.SpeechRecognizer;
import dev.prism.audio.vad.SpeechRegion;
import dev.prism.audio.vad.SpeechSegmenter;
import dev.prism.audio.vad.VoiceActivityDetector;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link StreamingOptions.Decoding#INCREMENTAL}: one decoder follows the stream. On every chunk received, VAD over
 * the buffer; a speech region starts an utterance in the decoder at its start, and every new sample of it is pushed
 * into the decoder at once (each chunk costs only its own audio, however long the utterance). Every
 * {@code chunkSeconds} the decoder's best path is the hypothesis for LocalAgreement-2 ({@link LocalAgreement}): words
 * two consecutive hypotheses agree on are committed. A region followed by {@code closeSilenceSeconds} of silence ends
 * the utterance and its remaining words are committed from the decoder's final result at once (VAD end of region).
 * Uncommitted speech longer than {@code maxBufferSeconds} commits its oldest words without agreement, and an
 * utterance longer than the VAD's {@code maxSpeechSeconds} is ended where it is, so latency and decoder state stay
 * bounded. The buffer only serves the VAD: it holds the last {@code maxBufferSeconds + overlapSeconds}.
 */
final class IncrementalStreaming {
    private static final int SR = SpeechRecognizer.SAMPLE_RATE;

    private final IncrementalDecoder decoder;
    private final VoiceActivityDetector vad;
    private final SpeechSegmenter segmenter;
    private final StreamingOptions options;
    private final LocalAgreement agreement = new LocalAgreement();

    private final StreamBuffer buf = new StreamBuffer(SR * 4);
    private long lastStepSample;
    private long uttStartSample;
    private long fedSample;
    private double committedUntil;

    IncrementalStreaming(IncrementalDecoder decoder, VoiceActivityDetector vad, StreamingOptions options) {
        this.decoder = decoder;
        this.vad = vad;
        this.options = options;
        this.segmenter = new SpeechSegmenter(options.vad());
    }

    long endSample() {
        return buf.endSample();
    }

    double bufferSeconds() {
        return buf.length() / (double) SR;
    }

    /** Appends {@code pcm[from..]} (the caller has already turned a gap into silence) and runs one update. */
    List<TranscriptEvent> accept(float[] pcm, int from) {
        append(pcm, from);
        List<TranscriptEvent> events = new ArrayList<>();
        long step = Math.round(options.chunkSeconds() * SR);
        boolean agree = endSample() - lastStepSample >= step;
        if (agree) {
            lastStepSample = endSample() - (endSample() - lastStepSample) % step;
        }
        update(false, agree, events);
        return events;
    }

    List<TranscriptEvent> finish() {
        List<TranscriptEvent> events = new ArrayList<>();
        try {
            update(true, true, events);
        } finally {
            close();
        }
        return events;
    }

    /** Hands the decoder back without committing the rest (an abandoned stream); finish() already does. */
    void close() {
        decoder.close();
    }

    void append(float[] pcm, int from) {
        buf.append(pcm, from);
    }

    private void update(boolean last, boolean agree, List<TranscriptEvent> events) {
        double bufStart = buf.startSample() / (double) SR;
        double end = endSample() / (double) SR;
        List<SpeechRegion> regions = buf.length() == 0 ? List.of()
                : segmenter.regions(vad.speechProbabilities(buf.copy()), buf.length());
        SpeechRegion open = null;
        for (SpeechRegion local : regions) {
            SpeechRegion r = new SpeechRegion(local.start() + bufStart, local.end() + bufStart);
            if (r.end() <= committedUntil + 1e-6) {
                continue;
            }
            if (!last && end - r.end() < options.closeSilenceSeconds()) {
                open = r;
                break;
            }
            // a closed region: the rest of its audio goes in and the utterance ends
            if (!decoder.isOpen()) {
                startUtterance(Math.max(r.start(), committedUntil));
            }
            feed(r.end());
            double from = Math.max(committedUntil, uttStartSample / (double) SR);
            List<RecognizedWord> words = new ArrayList<>();
            for (RecognizedWord w : uncommitted(decoder.finish())) {
                if (w.start() < r.end()) {
                    words.add(w);
                }
            }
            emitFinal(events, words, from, r.end(), end);
            committedUntil = Math.max(r.end(), words.isEmpty() ? 0 : words.get(words.size() - 1).end());
            agreement.reset();
        }
        if (open != null) {
            if (!decoder.isOpen()) {
                startUtterance(Math.max(open.start(), committedUntil));
            }
            feed(end);
            if (fedSample - uttStartSample > options.vad().maxSpeechSeconds() * SR) {
                // unbroken speech past the VAD's maximum region: end the utterance here and go on in a new one
                List<RecognizedWord> words = uncommitted(decoder.finish());
                emitFinal(events, words, committedUntil, end, end);
                committedUntil = Math.max(committedUntil, words.isEmpty() ? end : words.get(words.size() - 1).end());
                agreement.reset();
                startUtterance(end);
            } else if (agree) {
                agreeAndCommit(end, events);
            }
        } else {
            if (decoder.isOpen()) {
                // the VAD no longer sees the speech the utterance was started for: end it where it was fed
                double fed = fedSample / (double) SR;
                List<RecognizedWord> words = uncommitted(decoder.finish());
                emitFinal(events, words, committedUntil, fed, end);
                committedUntil = Math.max(committedUntil, fed);
                agreement.reset();
            }
            if (agree && !last) {
                agreement.reset();
                events.add(new TranscriptEvent(TranscriptEvent.Type.PARTIAL, List.of(), committedUntil, end, end));
            }
        }
        trim();
    }

    private void agreeAndCommit(double end, List<TranscriptEvent> events) {
        List<RecognizedWord> commit = new ArrayList<>(agreement.update(uncommitted(decoder.partial())));
        double agreedUntil = commit.isEmpty() ? committedUntil : commit.get(commit.size() - 1).end();
        if (end - agreedUntil > options.maxBufferSeconds()) {
            // bounded latency: commit what is older than the newest chunk even without agreement
            commit.addAll(agreement.forceEndingBefore(end - options.chunkSeconds()));
        }
        if (!commit.isEmpty()) {
            double segEnd = commit.get(commit.size() - 1).end();
            emitFinal(events, commit, Math.max(committedUntil, commit.get(0).start()), segEnd, end);
            committedUntil = segEnd;
        }
        events.add(new TranscriptEvent(TranscriptEvent.Type.PARTIAL, agreement.pending(), committedUntil, end, end));
    }

    /** Words whose middle lies after the last committed word, clipped so they never start before it. */
    private List<RecognizedWord> uncommitted(List<RecognizedWord> words) {
        List<RecognizedWord> out = new ArrayList<>();
        for (RecognizedWord w : words) {
            if ((w.start() + w.end()) / 2 > committedUntil) {
                out.add(w.start() < committedUntil
                        ? new RecognizedWord(w.word(), committedUntil, Math.max(committedUntil, w.end()), w.confidence()) : w);
            }
        }
        return out;
    }

    private void startUtterance(double at) {
        long s = Math.max(buf.startSample(), Math.min(endSample(), Math.round(at * SR)));
        decoder.start(s / (double) SR);
        uttStartSample = s;
        fedSample = s;
    }

    /** Pushes the buffered audio from the last fed sample up to {@code to} seconds into the open utterance. */
    private void feed(double to) {
        long b = Math.min(endSample(), Math.round(to * SR));
        if (b > fedSample) {
            decoder.accept(buf.samples(), (int) (fedSample - buf.startSample()), (int) (b - buf.startSample()));
            fedSample = b;
        }
    }

    private static void emitFinal(List<TranscriptEvent> events, List<RecognizedWord> words, double segStart,
                                  double segEnd, double streamTime) {
        if (!words.isEmpty()) {
            segStart = Math.min(segStart, words.get(0).start());
            segEnd = Math.max(segEnd, words.get(words.size() - 1).end());
        }
        events.add(new TranscriptEvent(TranscriptEvent.Type.FINAL, words, segStart, segEnd, streamTime));
    }

    /** Keeps the last {@code maxBufferSeconds + overlapSeconds} for the VAD; all of it before is fed or silence. */
    private void trim() {
        long cut = endSample() - Math.round((options.maxBufferSeconds() + options.overlapSeconds()) * SR);
        if (decoder.isOpen()) {
            cut = Math.min(cut, fedSample);
        }
        buf.dropBefore(cut);
    }
}
