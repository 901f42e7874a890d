package dev.prism.audio.streaming;

import dev.prism.audio.asr.IncrementalDecoder;
import dev.prism.audio.asr.IncrementalRecognizer;
import dev.prism.audio.asr.RecognizedWord;
import dev.prism.audio.asr.SpeechRecognizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated stream of voiced "words" (harmonic tone bursts, which the energy VAD takes for speech) with
 * their ground-truth times, and a scripted recognizer that returns exactly the words inside the audio it is
 * given, plus an unstable guess for a word cut by the end of the window (as a real recognizer would).
 */
final class SyntheticSpeech {
    final float[] pcm;
    final List<RecognizedWord> truth = new ArrayList<>();

    SyntheticSpeech(double seconds, long seed) {
        Random r = new Random(seed);
        pcm = new float[(int) (seconds * 16000)];
        double t = 0.5;
        int n = 0;
        while (true) {
            int words = 3 + r.nextInt(15);
            double f0 = 110 + 80 * r.nextDouble();
            boolean done = false;
            for (int i = 0; i < words; i++) {
                double d = 0.2 + 0.4 * r.nextDouble();
                if (t + d + 2 > seconds) {
                    done = true;
                    break;
                }
                tone(t, d, f0 * (0.9 + 0.2 * r.nextDouble()));
                truth.add(new RecognizedWord("w" + (n++), t, t + d, 1));
                t += d + 0.03 + 0.05 * r.nextDouble();
            }
            if (done) {
                break;
            }
            t += 0.5 + 1.0 * r.nextDouble();
        }
    }

    private void tone(double start, double dur, double f0) {
        int a = (int) (start * 16000);
        int b = (int) ((start + dur) * 16000);
        for (int i = a; i < b; i++) {
            double env = Math.min(1, Math.min(i - a, b - i) / 160.0);
            double s = 0;
            for (int h = 1; h * f0 < 4000; h++) {
                s += Math.sin(2 * Math.PI * h * f0 * i / 16000.0) / h;
            }
            pcm[i] = (float) (0.15 * env * s);
        }
    }

    /** Returns the ground-truth words inside the window; a word cut by the window end comes back as a guess. */
    final class ScriptedRecognizer implements SpeechRecognizer {
        double maxWindowSeconds;
        double decodedSeconds;
        /** (window end, window length) of every call. */
        final List<double[]> windows = new ArrayList<>();

        /** Longest window among the calls whose window ends in [from, to) seconds. */
        double maxWindowBetween(double from, double to) {
            return windows.stream().filter(w -> w[0] >= from && w[0] < to).mapToDouble(w -> w[1]).max().orElse(0);
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public String language() {
            return "en";
        }

        @Override
        public List<RecognizedWord> recognize(float[] pcm16k, double offset) {
            double end = offset + pcm16k.length / 16000.0;
            maxWindowSeconds = Math.max(maxWindowSeconds, end - offset);
            decodedSeconds += end - offset;
            windows.add(new double[] {end, end - offset});
            List<RecognizedWord> out = new ArrayList<>();
            for (RecognizedWord w : truth) {
                if (w.start() >= offset - 0.02 && w.end() <= end) {
                    out.add(w);
                } else if (w.start() < end - 0.05 && w.end() > end && w.start() >= offset) {
                    out.add(new RecognizedWord(w.word() + "-guess", w.start(), end, 0.5));
                }
            }
            return out;
        }

        @Override
        public void close() {
        }
    }

    /**
     * A scripted incremental recognizer: like Sphinx's best path, its partial hypothesis holds completed words only
     * (ending at least 0.1 s before the audio fed so far), and the newest of them (ending in the last 0.3 s) are
     * still unstable: they come back misspelt ("-guess"), so only LocalAgreement over consecutive hypotheses may
     * commit them. Its final result is every word of the utterance, a word cut by the utterance end as a guess.
     * It records every sample it is fed, so a test can check that no audio is decoded twice.
     */
    final class ScriptedIncremental implements IncrementalRecognizer {
        double fedSeconds;
        double maxUtteranceSeconds;
        int utterances;

        @Override
        public IncrementalDecoder openIncremental() {
            return new IncrementalDecoder() {
                private double start = -1;
                private double fed;

                @Override
                public void start(double offsetSeconds) {
                    if (start >= 0) {
                        throw new IllegalStateException("already open");
                    }
                    start = offsetSeconds;
                    fed = offsetSeconds;
                    utterances++;
                }

                @Override
                public boolean isOpen() {
                    return start >= 0;
                }

                @Override
                public double fedUntil() {
                    return fed;
                }

                @Override
                public void accept(float[] pcm, int from, int to) {
                    fed += (to - from) / 16000.0;
                    fedSeconds += (to - from) / 16000.0;
                    maxUtteranceSeconds = Math.max(maxUtteranceSeconds, fed - start);
                }

                @Override
                public List<RecognizedWord> partial() {
                    List<RecognizedWord> out = new ArrayList<>();
                    for (RecognizedWord w : truth) {
                        if (w.start() >= start - 0.02 && w.end() <= fed - 0.1) {
                            out.add(w.end() > fed - 0.3 ? new RecognizedWord(w.word() + "-guess", w.start(), w.end(), 0.5) : w);
                        }
                    }
                    return out;
                }

                @Override
                public List<RecognizedWord> finish() {
                    List<RecognizedWord> out = words(fed);
                    start = -1;
                    return out;
                }

                private List<RecognizedWord> words(double until) {
                    List<RecognizedWord> out = new ArrayList<>();
                    for (RecognizedWord w : truth) {
                        if (w.start() >= start - 0.02 && w.end() <= until) {
                            out.add(w);
                        } else if (w.start() >= start - 0.02 && w.start() < until - 0.05 && w.end() > until) {
                            out.add(new RecognizedWord(w.word() + "-guess", w.start(), until, 0.5));
                        }
                    }
                    return out;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public String name() {
            return "scripted-incremental";
        }

        @Override
        public String language() {
            return "en";
        }

        @Override
        public List<RecognizedWord> recognize(float[] pcm16k, double offsetSeconds) {
            throw new UnsupportedOperationException("incremental only");
        }

        @Override
        public void close() {
        }
    }
}
