package dev.prism.audio.streaming;

import dev.prism.audio.vad.VadOptions;

/**
 * Streaming settings. The defaults decode incrementally with an agreement step every 0.5 s: on AsrBench's stream
 * (3 minutes, same run, shared 2-core machine) final-word latency fell from mean 2.41 s / p95 3.30 s / max 3.92 s
 * (re-decoding, 1 s chunks: {@link #redecodeDefaults()}) to 0.90 s / 1.35 s / 1.93 s, thread CPU per stream second
 * from 0.84 to 0.43, and the WER of the streamed words from 0.51 to 0.29 (the same clips decoded whole offline: 0.22).
 * 0.3 s steps measured 0.66 s mean latency at WER 0.31 (1-minute stream); committing only at region ends 0.24 at
 * about 3 s.
 *
 * @param chunkSeconds        new audio that triggers a step: a re-decode (REDECODE; smaller: lower latency, more
 *                            work) or an agreement over the decoder's best path (INCREMENTAL, where the decoder is fed
 *                            every chunk received anyway, so a smaller step costs next to nothing but commits words
 *                            that have been stable for less time)
 * @param overlapSeconds      audio kept before the committed point and re-decoded as left context (its words are
 *                            dropped as already committed); INCREMENTAL only keeps it in the VAD's buffer
 * @param maxBufferSeconds    the open (uncommitted) speech never grows past this: older hypothesis words are then
 *                            committed and the buffer trimmed, so latency and work stay bounded
 * @param closeSilenceSeconds silence after a VAD region that closes it: its words are all committed at once
 * @param vad                 how VAD probabilities become regions
 * @param fullRegionSeconds   a region is re-decoded from its start (language-model context over the whole
 *                            utterance) while it is at most this long; a longer one only from its last committed
 *                            word (with {@code overlapSeconds} of context), so the audio re-decoded per step, and
 *                            with it the processing part of the latency, stays bounded (re-decode mode only)
 * @param decoding            how each step gets its hypothesis (see {@link Decoding})
 */
public record StreamingOptions(double chunkSeconds, double overlapSeconds, double maxBufferSeconds,
                               double closeSilenceSeconds, VadOptions vad, double fullRegionSeconds,
                               Decoding decoding) {
    /** How a streaming step gets the hypothesis that LocalAgreement-2 compares with the previous one. */
    public enum Decoding {
        /**
         * Re-decode the open region (or the audio since the last committed word) every chunk: works with any
         * recognizer, costs the whole window per step.
         */
        REDECODE,
        /**
         * Keep one decoder's search state across chunks and feed it only the new audio; the hypothesis is its best
         * path so far. Needs an {@link dev.prism.audio.asr.IncrementalRecognizer} (Sphinx4); others re-decode.
         */
        INCREMENTAL
    }

    /** Settings without a decoding mode: {@link Decoding#INCREMENTAL}, the default. */
    public StreamingOptions(double chunkSeconds, double overlapSeconds, double maxBufferSeconds,
                            double closeSilenceSeconds, VadOptions vad, double fullRegionSeconds) {
        this(chunkSeconds, overlapSeconds, maxBufferSeconds, closeSilenceSeconds, vad, fullRegionSeconds,
                Decoding.INCREMENTAL);
    }

    public StreamingOptions {
        if (decoding == null) {
            throw new IllegalArgumentException("streaming decoding must be REDECODE or INCREMENTAL, was null");
        }
        if (!(fullRegionSeconds >= 0 && fullRegionSeconds <= maxBufferSeconds)) {
            throw new IllegalArgumentException("streaming fullRegionSeconds must lie in [0, maxBufferSeconds], was "
                    + fullRegionSeconds);
        }
        if (!(chunkSeconds >= 0.1 && chunkSeconds <= 30)) {
            throw new IllegalArgumentException("streaming chunkSeconds must lie in [0.1, 30], was " + chunkSeconds);
        }
        if (!(overlapSeconds >= 0 && overlapSeconds < maxBufferSeconds)) {
            throw new IllegalArgumentException("streaming overlapSeconds must lie in [0, maxBufferSeconds)");
        }
        if (!(maxBufferSeconds >= 2 * chunkSeconds)) {
            throw new IllegalArgumentException("streaming maxBufferSeconds must be at least two chunks, was " + maxBufferSeconds);
        }
        if (!(closeSilenceSeconds > 0)) {
            throw new IllegalArgumentException("streaming closeSilenceSeconds must be positive");
        }
    }

    /** Incremental decoding, agreement every 0.5 s (see AsrBench for the latency and accuracy behind it). */
    public static StreamingOptions defaults() {
        return new StreamingOptions(0.5, 0.5, 2.0, 0.3, VadOptions.defaults(), 2.0, Decoding.INCREMENTAL);
    }

    /** The re-decoding settings before incremental decoding (1 s chunks), e.g. for a recognizer without it. */
    public static StreamingOptions redecodeDefaults() {
        return new StreamingOptions(1.0, 0.5, 2.0, 0.3, VadOptions.defaults(), 2.0, Decoding.REDECODE);
    }

    public StreamingOptions withChunkSeconds(double s) {
        return new StreamingOptions(s, overlapSeconds, maxBufferSeconds, closeSilenceSeconds, vad, fullRegionSeconds,
                decoding);
    }

    public StreamingOptions withFullRegionSeconds(double s) {
        return new StreamingOptions(chunkSeconds, overlapSeconds, maxBufferSeconds, closeSilenceSeconds, vad, s,
                decoding);
    }

    public StreamingOptions withDecoding(Decoding d) {
        return new StreamingOptions(chunkSeconds, overlapSeconds, maxBufferSeconds, closeSilenceSeconds, vad,
                fullRegionSeconds, d);
    }
}
