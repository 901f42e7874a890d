package dev.prism.audio.asr.whisper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one window's tokens become segments and where the next window starts (openai/whisper transcribe.py):
 * consecutive timestamp pairs cut the tokens into segments timed by their timestamps; with a single timestamp
 * at the end (or no pair at all) the whole window is consumed, otherwise the next window starts at the last
 * timestamp, so speech cut by the window edge is decoded again from its start.
 */
public final class WindowSegments {
    /** Seconds per timestamp step: 2 mel frames of 10 ms (the encoder's stride). */
    public static final double TIME_PRECISION = 0.02;
    /** Mel frames per second. */
    public static final int FRAMES_PER_SECOND = 100;
    private static final int INPUT_STRIDE = 2;

    private WindowSegments() {
    }

    /** A segment: seconds from the start of the audio, and its tokens (timestamps included). */
    public record TokenSegment(double start, double end, long[] tokens) {
        public long[] textTokens(int eot) {
            return Arrays.stream(tokens).filter(t -> t < eot).toArray();
        }
    }

    /** The window's segments, the mel frame the next window starts at, and whether it ended on one timestamp. */
    public record Split(List<TokenSegment> segments, int nextSeek, boolean singleTimestampEnding) {
    }

    /**
     * @param tokens        the window's sampled tokens (end-of-text excluded)
     * @param seek          mel frame the window starts at
     * @param segmentFrames mel frames of audio in the window (at most the window length)
     */
    public static Split split(long[] tokens, int tsBegin, int seek, int segmentFrames) {
        double timeOffset = (double) seek / FRAMES_PER_SECOND;
        int n = tokens.length;
        boolean singleEnding = n >= 2 && tokens[n - 2] < tsBegin && tokens[n - 1] >= tsBegin;
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            if (tokens[i - 1] >= tsBegin && tokens[i] >= tsBegin) {
                cuts.add(i);
            }
        }
        List<TokenSegment> out = new ArrayList<>();
        if (!cuts.isEmpty()) {
            if (singleEnding) {
                cuts.add(n);
            }
            int lastCut = 0;
            for (int cut : cuts) {
                long[] slice = Arrays.copyOfRange(tokens, lastCut, cut);
                out.add(new TokenSegment(timeOffset + (slice[0] - tsBegin) * TIME_PRECISION,
                        timeOffset + (slice[slice.length - 1] - tsBegin) * TIME_PRECISION, slice));
                lastCut = cut;
            }
            int next = singleEnding ? seek + segmentFrames
                    : seek + (int) (tokens[lastCut - 1] - tsBegin) * INPUT_STRIDE;
            return new Split(out, next, singleEnding);
        }
        double duration = (double) segmentFrames / FRAMES_PER_SECOND;
        long lastTs = -1;
        for (long t : tokens) {
            if (t >= tsBegin) {
                lastTs = t;
            }
        }
        if (lastTs > tsBegin) {
            duration = (lastTs - tsBegin) * TIME_PRECISION;
        }
        out.add(new TokenSegment(timeOffset, timeOffset + duration, tokens));
        return new Split(out, seek + segmentFrames, singleEnding);
    }
}
