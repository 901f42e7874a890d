package dev.prism.audio.subtitles;

import java.util.List;

/** SRT and WebVTT text for a list of cues. */
public final class SubtitleWriter {
    private SubtitleWriter() {
    }

    public static String srt(List<Cue> cues) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cues.size(); i++) {
            Cue c = cues.get(i);
            b.append(i + 1).append('\n')
                    .append(time(c.startMs(), ',')).append(" --> ").append(time(c.endMs(), ',')).append('\n');
            for (String line : c.lines()) {
                b.append(line).append('\n');
            }
            b.append('\n');
        }
        return b.toString();
    }

    public static String vtt(List<Cue> cues) {
        StringBuilder b = new StringBuilder("WEBVTT\n\n");
        for (Cue c : cues) {
            b.append(time(c.startMs(), '.')).append(" --> ").append(time(c.endMs(), '.')).append('\n');
            for (String line : c.lines()) {
                // "-->" may not appear in a WebVTT cue payload
                b.append(line.replace("-->", "->")).append('\n');
            }
            b.append('\n');
        }
        return b.toString();
    }

    static String time(long ms, char sep) {
        return String.format("%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, sep, ms % 1000);
    }
}
