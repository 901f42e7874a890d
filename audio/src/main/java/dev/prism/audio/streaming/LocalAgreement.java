package dev.prism.audio.streaming;

import dev.prism.audio.asr.RecognizedWord;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * LocalAgreement-2 (Machacek et al. 2023, "Turning Whisper into Real-Time Transcription System", the policy of
 * whisper_streaming's HypothesisBuffer): a word is committed once two consecutive hypotheses over the growing
 * buffer agree on it, i.e. the longest common prefix of the previous and the new uncommitted hypothesis.
 */
public final class LocalAgreement {
    private List<RecognizedWord> previous = List.of();

    /** Feeds the new hypothesis (uncommitted words only, in time order); returns the words now committed. */
    public List<RecognizedWord> update(List<RecognizedWord> hypothesis) {
        int n = 0;
        while (n < previous.size() && n < hypothesis.size() && same(previous.get(n), hypothesis.get(n))) {
            n++;
        }
        List<RecognizedWord> committed = new ArrayList<>(hypothesis.subList(0, n));
        previous = List.copyOf(hypothesis.subList(n, hypothesis.size()));
        return committed;
    }

    /** Uncommitted words of the latest hypothesis. */
    public List<RecognizedWord> pending() {
        return previous;
    }

    /** Commits the first {@code count} pending words without agreement (buffer overflow) and returns them. */
    public List<RecognizedWord> force(int count) {
        int n = Math.min(count, previous.size());
        List<RecognizedWord> out = List.copyOf(previous.subList(0, n));
        previous = List.copyOf(previous.subList(n, previous.size()));
        return out;
    }

    /**
     * Bounded latency: commits without agreement the pending words that end before {@code cutoff} (at least one, so
     * an over-full buffer always shrinks) and returns them.
     */
    public List<RecognizedWord> forceEndingBefore(double cutoff) {
        int n = 0;
        for (RecognizedWord w : previous) {
            if (w.end() < cutoff) {
                n++;
            }
        }
        return force(Math.max(n, 1));
    }

    public void reset() {
        previous = List.of();
    }

    private static boolean same(RecognizedWord a, RecognizedWord b) {
        return a.word().toLowerCase(Locale.ROOT).equals(b.word().toLowerCase(Locale.ROOT));
    }
}
