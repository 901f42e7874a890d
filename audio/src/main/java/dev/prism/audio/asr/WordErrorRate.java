package dev.prism.audio.asr;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Word error rate: Levenshtein distance over words (substitutions + deletions + insertions) divided by
 * the reference length, after lower-casing and stripping punctuation (apostrophes inside words kept).
 */
public final class WordErrorRate {
    private WordErrorRate() {
    }

    public static List<String> normalize(String text) {
        String t = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}' ]+", " ")
                .replaceAll("(?<![\\p{L}\\p{N}])'|'(?![\\p{L}\\p{N}])", " ").trim();
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
    }

    /** Word-level edit distance between two token lists. */
    public static int editDistance(List<String> ref, List<String> hyp) {
        int[] prev = new int[hyp.size() + 1];
        int[] cur = new int[hyp.size() + 1];
        for (int j = 0; j <= hyp.size(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= ref.size(); i++) {
            cur[0] = i;
            for (int j = 1; j <= hyp.size(); j++) {
                int sub = prev[j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[hyp.size()];
    }

    /** WER of a hypothesis against a reference text; an empty reference gives 0 for an empty hypothesis, else 1. */
    public static double of(String reference, String hypothesis) {
        List<String> r = normalize(reference);
        List<String> h = normalize(hypothesis);
        if (r.isEmpty()) {
            return h.isEmpty() ? 0 : 1;
        }
        return editDistance(r, h) / (double) r.size();
    }
}
