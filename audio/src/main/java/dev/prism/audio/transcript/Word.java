package dev.prism.audio.transcript;

/** A word of a transcript segment: times in seconds, confidence in [0, 1]. */
public record Word(String word, double start, double end, double confidence) {
    public Word {
        if (word == null || word.isBlank()) {
            throw new IllegalArgumentException("transcript word must not be blank");
        }
        if (!(end >= start) || start < 0) {
            throw new IllegalArgumentException("word '" + word + "' needs 0 <= start <= end, got [" + start + ", " + end + "]");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("word '" + word + "' confidence must lie in [0, 1], was " + confidence);
        }
    }
}
