package dev.prism.audio.asr.whisper;

import dev.prism.audio.asr.RecognizedWord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Words of one window's segments (openai/whisper timing.py add_word_timestamps): with word timestamps, one
 * alignment pass over all the window's text tokens, the duration/punctuation tidy-up, words handed back to
 * their segments by token count and segment edges preferred over overlong first/last words; without, each
 * segment's time is spread over its words by character count. Segments that are instantaneous or have no
 * text are dropped, as Whisper clears them.
 */
final class SegmentWords {
    private SegmentWords() {
    }

    /** A word, seconds from the start of the recognized audio, and its mean token probability. */
    record Timed(String word, double start, double end, double confidence) {
    }

    /**
     * @param lastSpeech in: end of the last speech before this window (seconds); out: updated from this window's
     *                   segments (Whisper's last_speech_timestamp)
     */
    static List<Timed> words(WindowSegments.Split split, DecodeResult r, WindowDecoder dec, float[] enc, long[] sot,
                             int segFrames, int seek, WhisperOptions o, WhisperTokens t, double[] lastSpeech) {
        double offset = seek / (double) WindowSegments.FRAMES_PER_SECOND;
        List<WindowSegments.TokenSegment> segs = split.segments();
        List<Timed> out = new ArrayList<>();
        if (o.wordTimestamps()) {
            List<long[]> perSeg = segs.stream().map(s -> s.textTokens(t.eot())).toList();
            long[] all = perSeg.stream().flatMapToLong(Arrays::stream).toArray();
            List<WordAlignment.WordTiming> align = WordAlignment.tidy(dec.align(enc, sot, all, segFrames));
            double median = medianDuration(align);
            double maxDuration = median * 2;
            int wi = 0;
            for (int k = 0; k < segs.size(); k++) {
                List<Timed> words = new ArrayList<>();
                int saved = 0;
                while (wi < align.size() && saved < perSeg.get(k).length) {
                    WordAlignment.WordTiming w = align.get(wi++);
                    if (!w.word().isEmpty()) {
                        words.add(new Timed(w.word(), offset + w.start(), offset + w.end(), w.probability()));
                    }
                    saved += w.tokens().length;
                }
                double segStart = segs.get(k).start();
                double segEnd = segs.get(k).end();
                if (!words.isEmpty()) {
                    afterPause(words, lastSpeech[0], median, maxDuration);
                    Timed first = words.get(0);
                    if (segStart < first.end() && segStart - 0.5 > first.start()) {
                        words.set(0, new Timed(first.word(), Math.max(0, Math.min(first.end() - median, segStart)),
                                first.end(), first.confidence()));
                    } else {
                        segStart = first.start();
                    }
                    Timed last = words.get(words.size() - 1);
                    if (segEnd > last.start() && segEnd + 0.5 < last.end()) {
                        words.set(words.size() - 1, new Timed(last.word(), last.start(),
                                Math.max(last.start() + median, segEnd), last.confidence()));
                    } else {
                        segEnd = last.end();
                    }
                }
                if (!words.isEmpty()) {
                    lastSpeech[0] = segEnd;
                }
                if (segEnd > segStart && !dec.decodeText(perSeg.get(k)).isBlank()) {
                    out.addAll(words);
                }
            }
            return out;
        }
        int from = 0;
        for (WindowSegments.TokenSegment s : segs) {
            int n = s.tokens().length;
            double[] probs = Arrays.copyOfRange(r.tokenProbs(), from, Math.min(r.tokenProbs().length, from + n));
            from += n;
            if (s.end() <= s.start()) {
                continue;
            }
            long[] text = s.textTokens(t.eot());
            double[] textProbs = new double[text.length];
            for (int i = 0, j = 0; i < n; i++) {
                if (s.tokens()[i] < t.eot()) {
                    textProbs[j++] = i < probs.length ? probs[i] : 0;
                }
            }
            List<WordSplitter.Piece> pieces = new ArrayList<>();
            List<Double> conf = new ArrayList<>();
            int k = 0;
            for (WordSplitter.Piece p : WordSplitter.split(text, dec::piece, t.eot())) {
                double c = 0;
                for (int i = 0; i < p.tokens().length; i++) {
                    c += textProbs[k + i];
                }
                k += p.tokens().length;
                if (!p.text().isBlank()) {
                    pieces.add(p);
                    conf.add(c / p.tokens().length);
                }
            }
            int chars = pieces.stream().mapToInt(p -> p.text().strip().length()).sum();
            double at = s.start();
            for (int i = 0; i < pieces.size(); i++) {
                double len = (s.end() - s.start()) * pieces.get(i).text().strip().length() / Math.max(1, chars);
                out.add(new Timed(pieces.get(i).text(), at, at + len, conf.get(i)));
                at += len;
            }
        }
        return out;
    }

    /** The first and second word after a pause are kept no longer than twice the median word duration. */
    private static void afterPause(List<Timed> w, double lastSpeech, double median, double max) {
        Timed a = w.get(0);
        if (a.end() - lastSpeech > median * 4
                && (a.end() - a.start() > max || w.size() > 1 && w.get(1).end() - a.start() > max * 2)) {
            if (w.size() > 1 && w.get(1).end() - w.get(1).start() > max) {
                Timed b = w.get(1);
                double boundary = Math.max(b.end() / 2, b.end() - max);
                a = new Timed(a.word(), a.start(), boundary, a.confidence());
                w.set(1, new Timed(b.word(), boundary, b.end(), b.confidence()));
            }
            w.set(0, new Timed(a.word(), Math.max(0, a.end() - max), a.end(), a.confidence()));
        }
    }

    static double medianDuration(List<WordAlignment.WordTiming> align) {
        double[] d = align.stream().mapToDouble(w -> w.end() - w.start()).filter(x -> x > 0).sorted().toArray();
        double m = d.length == 0 ? 0 : d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
        return Math.min(0.7, m);
    }

    /**
     * Words on the caller's clock: shifted by offset, clamped into [offset, offset + duration], each starting
     * no earlier than the previous one ends, blank words dropped.
     */
    static List<RecognizedWord> placed(List<Timed> words, double offset, double duration) {
        List<RecognizedWord> out = new ArrayList<>();
        double prevEnd = offset;
        double limit = offset + duration;
        for (Timed w : words) {
            String text = w.word().strip();
            if (text.isEmpty()) {
                continue;
            }
            double s = Math.min(limit, Math.max(prevEnd, offset + w.start()));
            double e = Math.min(limit, Math.max(s, offset + w.end()));
            out.add(new RecognizedWord(text, s, e, Math.max(0, Math.min(1, w.confidence()))));
            prevEnd = e;
        }
        return out;
    }
}
