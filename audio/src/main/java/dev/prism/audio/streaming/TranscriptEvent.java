package dev.prism.audio.streaming;

import dev.prism.audio.asr.RecognizedWord;

import java.util.List;

/**
 * A streaming result. {@code FINAL} words are committed and never change; a {@code PARTIAL} event replaces
 * the previous partial hypothesis (it may be empty). {@code streamTime} is how much audio had arrived when
 * the event was made, so {@code streamTime - word.end()} is a word's latency in audio time.
 */
public record TranscriptEvent(Type type, List<RecognizedWord> words, double segmentStart, double segmentEnd,
                              double streamTime) {
    public enum Type { PARTIAL, FINAL }

    public TranscriptEvent {
        words = List.copyOf(words);
    }

    public boolean isFinal() {
        return type == Type.FINAL;
    }

    public String text() {
        return String.join(" ", words.stream().map(RecognizedWord::word).toList());
    }
}
