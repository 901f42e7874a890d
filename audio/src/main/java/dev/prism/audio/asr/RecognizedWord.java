package dev.prism.audio.asr;

/**
 * One recognized word with its time span in seconds on the caller's clock and a confidence in [0, 1].
 */
public record RecognizedWord(String word, double start, double end, double confidence) {
    public RecognizedWord {
        if (word == null || word.isBlank()) {
            throw new IllegalArgumentException("word must not be blank");
        }
        if (!(end >= start)) {
            throw new IllegalArgumentException("word '" + word + "' ends (" + end + ") before it starts (" + start + ")");
        }
    }

    public RecognizedWord shifted(double seconds) {
        return new RecognizedWord(word, start + seconds, end + seconds, confidence);
    }
}
