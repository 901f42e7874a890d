package dev.prism.audio.asr.whisper;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Tokens to words as Whisper's tokenizer does it (split_tokens_on_unicode + split_tokens_on_spaces). */
public final class WordSplitter {
    /** Python's string.punctuation; Whisper tests membership as a substring. */
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private WordSplitter() {
    }

    /** A word and the tokens it was decoded from. */
    public record Piece(String text, long[] tokens) {
    }

    /**
     * Splits tokens into words at leading-space boundaries (Whisper's split_tokens_on_spaces): a piece that
     * starts with a space, is punctuation, or is a special token (id >= eot) starts a new word; otherwise it is
     * glued to the previous one. Tokens are decoded together until they no longer end in an incomplete UTF-8
     * sequence (a character split across byte-level tokens).
     */
    public static List<Piece> split(long[] tokens, Function<long[], String> decode, int eot) {
        List<String> words = new ArrayList<>();
        List<long[]> wordTokens = new ArrayList<>();
        List<Long> current = new ArrayList<>();
        for (long t : tokens) {
            current.add(t);
            long[] ids = current.stream().mapToLong(Long::longValue).toArray();
            String sub = decode.apply(ids);
            if (sub.indexOf('\uFFFD') >= 0) {
                continue;
            }
            current.clear();
            boolean special = ids[0] >= eot;
            boolean space = sub.startsWith(" ");
            boolean punct = PUNCTUATION.contains(sub.strip());
            if (special || space || punct || words.isEmpty()) {
                words.add(sub);
                wordTokens.add(ids);
            } else {
                int k = words.size() - 1;
                words.set(k, words.get(k) + sub);
                long[] prev = wordTokens.get(k);
                long[] merged = Arrays.copyOf(prev, prev.length + ids.length);
                System.arraycopy(ids, 0, merged, prev.length, ids.length);
                wordTokens.set(k, merged);
            }
        }
        List<Piece> out = new ArrayList<>();
        for (int k = 0; k < words.size(); k++) {
            out.add(new Piece(words.get(k), wordTokens.get(k)));
        }
        return out;
    }
}
