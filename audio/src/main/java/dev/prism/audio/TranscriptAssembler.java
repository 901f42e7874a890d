package dev.prism.audio;

import dev.prism.audio.asr.RecognizedWord;
import dev.prism.audio.transcript.Segment;
import dev.prism.audio.transcript.Transcript;
import dev.prism.audio.transcript.Word;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Transcript} from recognized segments: times rounded to milliseconds, word times made
 * monotonic and kept inside their segment, segments that would overlap the previous one moved after it,
 * and the quality flags (clipped input, low confidence, no speech).
 */
final class TranscriptAssembler {
    private final List<Segment> segments = new ArrayList<>();
    private double lastEnd;
    private double confidenceSum;
    private int wordCount;

    void add(double start, double end, List<RecognizedWord> words) {
        if (words.isEmpty()) {
            return;
        }
        double s = ms(Math.max(Math.min(start, words.get(0).start()), lastEnd));
        double e = ms(Math.max(Math.max(end, words.get(words.size() - 1).end()), s));
        List<Word> out = new ArrayList<>();
        double t = s;
        for (RecognizedWord w : words) {
            double ws = ms(Math.min(Math.max(w.start(), t), e));
            double we = ms(Math.min(Math.max(w.end(), ws), e));
            double c = Math.max(0, Math.min(1, w.confidence()));
            out.add(new Word(w.word(), ws, we, Math.round(c * 1000) / 1000.0));
            t = we;
            confidenceSum += c;
            wordCount++;
        }
        segments.add(new Segment(s, e, String.join(" ", out.stream().map(Word::word).toList()), out));
        lastEnd = e;
    }

    Transcript build(String language, String recognizer, boolean clipped, boolean speechFound, double minConfidence) {
        List<String> flags = new ArrayList<>();
        if (clipped) {
            flags.add(Transcript.FLAG_CLIPPED);
        }
        if (!speechFound) {
            flags.add(Transcript.FLAG_NO_SPEECH);
        }
        if (wordCount > 0 && confidenceSum / wordCount < minConfidence) {
            flags.add(Transcript.FLAG_LOW_CONFIDENCE);
        }
        return new Transcript(language, recognizer, segments, flags);
    }

    private static double ms(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    /** Counts samples at (or within 0.1 % of) full scale. */
    static long saturated(float[] pcm) {
        long n = 0;
        for (float v : pcm) {
            if (Math.abs(v) >= 0.999f) {
                n++;
            }
        }
        return n;
    }

    static void checkSamples(float[] pcm, String what) {
        if (pcm == null) {
            throw new AudioException(what + ": samples are null; pass 16 kHz mono PCM as floats in [-1, 1]");
        }
        for (int i = 0; i < pcm.length; i++) {
            if (!Float.isFinite(pcm[i])) {
                throw new AudioException(what + ": sample " + i + " is " + pcm[i]
                        + "; the decoder produced invalid PCM (expected finite floats in [-1, 1])");
            }
        }
    }
}
