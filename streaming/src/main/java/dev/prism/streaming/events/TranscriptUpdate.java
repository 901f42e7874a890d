package dev.prism.streaming.events;

import java.util.List;

/**
 * Words recognised so far. {@code fin=false}: a partial hypothesis that may still change;
 * {@code fin=true}: committed words that will not change. {@code last} closes the job's transcript.
 */
public record TranscriptUpdate(String jobId, int segment, boolean fin, boolean last, double start, double end,
                               String text, List<Word> words, String recognizer, String language)
        implements PrismEvent {

    public record Word(String word, double start, double end, double confidence) {
    }

    public TranscriptUpdate {
        words = words == null ? List.of() : List.copyOf(words);
    }
}
