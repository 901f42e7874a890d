package dev.prism.audio.vad;

/** A stretch of speech in seconds, {@code start < end}. */
public record SpeechRegion(double start, double end) {
    public SpeechRegion {
        if (!(end > start) || start < 0) {
            throw new IllegalArgumentException("speech region needs 0 <= start < end, got [" + start + ", " + end + "]");
        }
    }

    public double duration() {
        return end - start;
    }

    public double overlap(SpeechRegion o) {
        return Math.max(0, Math.min(end, o.end) - Math.max(start, o.start));
    }
}
