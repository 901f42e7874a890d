package dev.prism.audio.subtitles;

import java.util.List;

/** One subtitle cue: whole milliseconds, one or two lines. */
public record Cue(long startMs, long endMs, List<String> lines) {
    public Cue {
        lines = List.copyOf(lines);
        if (endMs <= startMs || startMs < 0) {
            throw new IllegalArgumentException("cue needs 0 <= start < end, got " + startMs + ".." + endMs + " ms");
        }
    }

    public String text() {
        return String.join(" ", lines);
    }
}
