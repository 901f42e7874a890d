package dev.prism.audio.subtitles;

import dev.prism.audio.transcript.Segment;
import dev.prism.audio.transcript.Transcript;
import dev.prism.audio.transcript.Word;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups a transcript's timed words into cues: a cue ends at a sentence end (. ? ! after a word) or a
 * segment boundary (the recognizer's pause, Sphinx has no punctuation) where possible, and before it would
 * break the line/character or duration limits. A cue starts at its first word (never before the speech)
 * and ends at its last word, extended to the minimum duration when the next cue leaves room; a cue that
 * is still too short is merged into a neighbour when the merged cue fits. Cues never overlap.
 */
public final class CueBuilder {
    private final CueRules rules;

    public CueBuilder(CueRules rules) {
        this.rules = rules;
    }

    public List<Cue> build(Transcript transcript) {
        List<List<Word>> groups = new ArrayList<>();
        List<Word> cur = new ArrayList<>();
        for (Segment seg : transcript.segments()) {
            for (Word w : seg.words()) {
                if (!cur.isEmpty() && !fits(cur, w)) {
                    groups.add(cur);
                    cur = new ArrayList<>();
                }
                cur.add(w);
                if (endsSentence(w.word())) {
                    groups.add(cur);
                    cur = new ArrayList<>();
                }
            }
            if (!cur.isEmpty()) {
                groups.add(cur);
                cur = new ArrayList<>();
            }
        }
        mergeShort(groups);
        List<Cue> cues = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            List<Word> g = groups.get(i);
            long start = (long) Math.ceil(g.get(0).start() * 1000 - 1e-6);
            long end = Math.round(g.get(g.size() - 1).end() * 1000);
            long next = i + 1 < groups.size() ? (long) Math.ceil(groups.get(i + 1).get(0).start() * 1000 - 1e-6) : Long.MAX_VALUE;
            end = Math.max(end, start + (long) (rules.minSeconds() * 1000));
            end = Math.min(end, Math.min(next, start + (long) (rules.maxSeconds() * 1000)));
            if (end <= start) {
                end = start + 1;
            }
            cues.add(new Cue(start, end, wrap(text(g))));
        }
        return cues;
    }

    private boolean fits(List<Word> cur, Word next) {
        List<Word> all = new ArrayList<>(cur);
        all.add(next);
        return next.end() - cur.get(0).start() <= rules.maxSeconds() && wrap(text(all)).size() <= rules.maxLines()
                && longestLine(wrap(text(all))) <= rules.maxLineChars();
    }

    /** Merges groups shorter than the minimum into the next (or previous) group when the result fits. */
    private void mergeShort(List<List<Word>> groups) {
        for (int i = 0; i < groups.size(); i++) {
            List<Word> g = groups.get(i);
            double nextStart = i + 1 < groups.size() ? groups.get(i + 1).get(0).start() : Double.MAX_VALUE;
            double room = Math.min(nextStart, g.get(0).start() + rules.minSeconds()) - g.get(0).start();
            if (room >= rules.minSeconds() - 1e-9) {
                continue;
            }
            if (i + 1 < groups.size() && fitsAll(g, groups.get(i + 1))) {
                g.addAll(groups.remove(i + 1));
                i--;
            } else if (i > 0 && fitsAll(groups.get(i - 1), g)) {
                groups.get(i - 1).addAll(groups.remove(i));
                i -= 2;
                i = Math.max(i, -1);
            }
        }
    }

    private boolean fitsAll(List<Word> a, List<Word> b) {
        List<Word> all = new ArrayList<>(a);
        all.addAll(b);
        List<String> lines = wrap(text(all));
        return all.get(all.size() - 1).end() - all.get(0).start() <= rules.maxSeconds()
                && lines.size() <= rules.maxLines() && longestLine(lines) <= rules.maxLineChars();
    }

    private static boolean endsSentence(String w) {
        return w.endsWith(".") || w.endsWith("?") || w.endsWith("!");
    }

    private static String text(List<Word> words) {
        return String.join(" ", words.stream().map(Word::word).toList());
    }

    private static int longestLine(List<String> lines) {
        return lines.stream().mapToInt(String::length).max().orElse(0);
    }

    /**
     * Breaks text into lines of at most maxLineChars, choosing for two lines the split that balances them;
     * a single word longer than a line is cut.
     */
    List<String> wrap(String text) {
        int max = rules.maxLineChars();
        if (text.length() <= max) {
            return List.of(text);
        }
        if (rules.maxLines() >= 2 && text.length() <= 2 * max + 1) {
            int best = -1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == ' ' && i <= max && text.length() - i - 1 <= max
                        && (best < 0 || Math.abs(2 * i + 1 - text.length()) < Math.abs(2 * best + 1 - text.length()))) {
                    best = i;
                }
            }
            if (best >= 0) {
                return List.of(text.substring(0, best), text.substring(best + 1));
            }
        }
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String w : text.split(" ")) {
            while (w.length() > max) {
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                lines.add(w.substring(0, max));
                w = w.substring(max);
            }
            if (line.length() > 0 && line.length() + 1 + w.length() > max) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(w);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
