package dev.prism.audio.transcript;

import java.util.List;

/** A transcript segment (one VAD region or streamed commit), its text and its words, times in seconds. */
public record Segment(double start, double end, String text, List<Word> words) {
    public Segment {
        words = List.copyOf(words);
        if (!(end >= start) || start < 0) {
            throw new IllegalArgumentException("segment needs 0 <= start <= end, got [" + start + ", " + end + "]");
        }
        for (int i = 0; i < words.size(); i++) {
            Word w = words.get(i);
            if (w.start() < start - 1e-9 || w.end() > end + 1e-9) {
                throw new IllegalArgumentException("word " + w + " lies outside its segment [" + start + ", " + end + "]");
            }
            if (i > 0 && w.start() < words.get(i - 1).end() - 1e-9) {
                throw new IllegalArgumentException("word " + w + " starts before the previous word ends");
            }
        }
    }
}
