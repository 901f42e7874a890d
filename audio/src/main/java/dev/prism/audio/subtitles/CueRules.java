package dev.prism.audio.subtitles;

/**
 * Subtitle layout rules (common broadcast/streaming guidelines): at most {@code maxLines} lines of
 * {@code maxLineChars} characters, each cue shown between {@code minSeconds} and {@code maxSeconds}.
 */
public record CueRules(int maxLineChars, int maxLines, double minSeconds, double maxSeconds) {
    public CueRules {
        if (maxLineChars < 10 || maxLines < 1 || minSeconds <= 0 || maxSeconds <= minSeconds) {
            throw new IllegalArgumentException("cue rules need maxLineChars >= 10, maxLines >= 1, 0 < min < max seconds");
        }
    }

    public static CueRules defaults() {
        return new CueRules(42, 2, 1.0, 7.0);
    }
}
