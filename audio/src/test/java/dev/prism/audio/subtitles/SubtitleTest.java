package dev.prism.audio.subtitles;

import dev.prism.audio.transcript.Segment;
import dev.prism.audio.transcript.Transcript;
import dev.prism.audio.transcript.Word;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubtitleTest {
    private static final CueRules RULES = CueRules.defaults();

    /** Generated speech: segments of 3-40 words of 2-12 letters, 0.15-0.6 s each with 0-0.3 s gaps, pauses between segments. */
    static Transcript generated(long seed, boolean punctuation) {
        Random r = new Random(seed);
        List<Segment> segs = new ArrayList<>();
        double t = 0.3;
        for (int s = 0; s < 25; s++) {
            int n = 3 + r.nextInt(38);
            List<Word> words = new ArrayList<>();
            double segStart = t;
            for (int i = 0; i < n; i++) {
                StringBuilder w = new StringBuilder();
                int len = 2 + r.nextInt(11);
                for (int k = 0; k < len; k++) {
                    w.append((char) ('a' + r.nextInt(26)));
                }
                if (punctuation && r.nextInt(8) == 0) {
                    w.append('.');
                }
                double d = 0.15 + 0.45 * r.nextDouble();
                words.add(new Word(w.toString(), t, t + d, 0.9));
                t += d + 0.3 * r.nextDouble();
            }
            segs.add(new Segment(segStart, t, String.join(" ", words.stream().map(Word::word).toList()), words));
            t += 0.2 + 2 * r.nextDouble();
        }
        return new Transcript("en", "test", segs);
    }

    @Test
    void everyCueObeysTheRulesOnGeneratedSpeech() {
        for (long seed = 1; seed <= 20; seed++) {
            Transcript t = generated(seed, seed % 2 == 0);
            List<Cue> cues = new CueBuilder(RULES).build(t);
            List<Word> words = t.words();
            int wi = 0;
            for (int i = 0; i < cues.size(); i++) {
                Cue c = cues.get(i);
                assertTrue(c.lines().size() <= 2, "lines " + c);
                for (String line : c.lines()) {
                    assertTrue(line.length() <= 42, "line too long: " + line);
                }
                double dur = (c.endMs() - c.startMs()) / 1000.0;
                assertTrue(dur <= 7.0 + 1e-9, "cue longer than 7 s: " + c);
                if (i + 1 < cues.size()) {
                    assertTrue(c.endMs() <= cues.get(i + 1).startMs(), "overlap " + c + " / " + cues.get(i + 1));
                    // a cue shorter than 1 s only when the next cue starts right after it and could not be merged
                    if (dur < 1.0) {
                        assertEquals(c.endMs(), cues.get(i + 1).startMs(), "short cue not extended: " + c);
                    }
                }
                // no cue before its speech: it starts at (not before) its first word
                Word first = words.get(wi);
                assertTrue(c.startMs() >= first.start() * 1000 - 1e-6, "cue " + c + " before word " + first);
                assertTrue(c.startMs() <= first.start() * 1000 + 1, "cue starts late " + c);
                // cues hold all words, in order
                for (String token : c.text().split(" ")) {
                    assertTrue(words.get(wi).word().startsWith(token) || token.startsWith(words.get(wi).word())
                            || words.get(wi).word().length() > 42, token + " vs " + words.get(wi));
                    wi++;
                }
            }
            assertEquals(words.size(), wi);
        }
    }

    @Test
    void sentencesEndCuesWhenTheyFit() {
        List<Word> w = List.of(new Word("Hello", 0, 0.5, 1), new Word("there.", 0.6, 1.2, 1),
                new Word("How", 1.5, 1.8, 1), new Word("are", 1.9, 2.1, 1), new Word("you?", 2.2, 2.9, 1));
        List<Cue> cues = new CueBuilder(RULES).build(new Transcript("en", "t", List.of(new Segment(0, 3, "", w))));
        assertEquals(2, cues.size());
        assertEquals("Hello there.", cues.get(0).text());
        assertEquals("How are you?", cues.get(1).text());
        assertEquals(1200, cues.get(0).endMs()); // already over 1 s: ends with its speech
        assertEquals(1500, cues.get(1).startMs());
    }

    @Test
    void shortCueIsExtendedToOneSecondWithoutOverlap() {
        List<Cue> cues = new CueBuilder(RULES).build(new Transcript("en", "t", List.of(
                new Segment(1, 1.3, "yes", List.of(new Word("yes", 1, 1.3, 1))),
                new Segment(5, 6, "no", List.of(new Word("no", 5, 6, 1))))));
        assertEquals(1000, cues.get(0).startMs());
        assertEquals(2000, cues.get(0).endMs());
    }

    @Test
    void twoLinesAreBalanced() {
        List<String> lines = new CueBuilder(RULES).wrap("the quick brown fox jumps over the lazy dog and runs far away home");
        assertEquals(2, lines.size());
        assertTrue(Math.abs(lines.get(0).length() - lines.get(1).length()) <= 8, lines.toString());
    }

    @Test
    void srtAndVttFormats() {
        List<Cue> cues = List.of(new Cue(1500, 3250, List.of("hello world")), new Cue(3661001, 3662000, List.of("a", "b")));
        assertEquals("1\n00:00:01,500 --> 00:00:03,250\nhello world\n\n2\n01:01:01,001 --> 01:01:02,000\na\nb\n\n",
                SubtitleWriter.srt(cues));
        assertEquals("WEBVTT\n\n00:00:01.500 --> 00:00:03.250\nhello world\n\n01:01:01.001 --> 01:01:02.000\na\nb\n\n",
                SubtitleWriter.vtt(cues));
    }
}
