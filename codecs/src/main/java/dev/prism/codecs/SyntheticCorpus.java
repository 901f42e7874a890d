package dev.prism.codecs;

import dev.prism.codecs.io.PcmAudio;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded, fully deterministic mix of speech-like and music-like signals at 24 kHz, used to learn
 * the demo codebooks without shipping binaries or touching the user's media: voiced segments (a
 * glottal pulse train with intonation through three moving formant resonators, syllabic
 * envelope), fricative noise bursts, plucked harmonic notes and chords, pauses and a low noise
 * floor, at levels from -36 to -6 dBFS.
 */
public final class SyntheticCorpus {
    private static final int SR = 24_000;

    private SyntheticCorpus() {
    }

    /** {@code clips} clips of {@code seconds} each from {@code seed}. */
    public static List<PcmAudio> generate(int clips, double seconds, long seed) {
        List<PcmAudio> out = new ArrayList<>();
        Random rnd = new Random(seed);
        for (int c = 0; c < clips; c++) {
            float[] x = new float[(int) (seconds * SR)];
            int pos = 0;
            while (pos < x.length) {
                int len = (int) ((0.15 + rnd.nextDouble() * 0.6) * SR);
                len = Math.min(len, x.length - pos);
                double level = Math.pow(10, (-36 + rnd.nextDouble() * 30) / 20);
                switch (rnd.nextInt(5)) {
                    case 0, 1 -> voiced(x, pos, len, level, rnd);
                    case 2 -> fricative(x, pos, len, level, rnd);
                    case 3 -> notes(x, pos, len, level, rnd);
                    default -> { }   // pause
                }
                pos += len;
            }
            for (int i = 0; i < x.length; i++) {
                x[i] += (float) (rnd.nextGaussian() * 3e-4);
            }
            out.add(new PcmAudio(x, SR));
        }
        return out;
    }

    private static void voiced(float[] x, int pos, int len, double level, Random rnd) {
        double f0 = 85 + rnd.nextDouble() * 170;
        double slope = (rnd.nextDouble() - 0.5) * 0.6;
        double[] formants = {300 + rnd.nextDouble() * 600, 900 + rnd.nextDouble() * 1500, 2200 + rnd.nextDouble() * 1000};
        double[] target = {300 + rnd.nextDouble() * 600, 900 + rnd.nextDouble() * 1500, 2200 + rnd.nextDouble() * 1000};
        double[][] state = new double[3][2];
        double phase = 0;
        for (int i = 0; i < len; i++) {
            double t = (double) i / len;
            double f = f0 * (1 + slope * t) * (1 + 0.01 * Math.sin(2 * Math.PI * 5 * i / SR));
            phase += f / SR;
            double src = 0;
            if (phase >= 1) {
                phase -= 1;
                src = 1;
            }
            src += rnd.nextGaussian() * 0.02;
            double y = 0;
            for (int k = 0; k < 3; k++) {
                double fk = formants[k] + (target[k] - formants[k]) * t;
                double r = Math.exp(-Math.PI * (60 + 40 * k) / SR);
                double a1 = 2 * r * Math.cos(2 * Math.PI * fk / SR);
                double a2 = -r * r;
                double v = src * (1 - r) + a1 * state[k][0] + a2 * state[k][1];
                state[k][1] = state[k][0];
                state[k][0] = v;
                y += v / (k + 1);
            }
            double env = Math.sin(Math.PI * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 4 * i / SR));
            x[pos + i] += (float) (level * 8 * y * env);
        }
    }

    private static void fricative(float[] x, int pos, int len, double level, Random rnd) {
        double prev = 0;
        double tilt = 0.3 + rnd.nextDouble() * 0.65;
        for (int i = 0; i < len; i++) {
            double w = rnd.nextGaussian();
            double hp = w - tilt * prev;
            prev = w;
            double env = Math.sin(Math.PI * i / len);
            x[pos + i] += (float) (level * 0.5 * hp * env);
        }
    }

    private static void notes(float[] x, int pos, int len, double level, Random rnd) {
        int voices = 1 + rnd.nextInt(3);
        for (int v = 0; v < voices; v++) {
            double f = 110 * Math.pow(2, rnd.nextInt(36) / 12.0);
            double decay = 1.5 + rnd.nextDouble() * 6;
            int harmonics = 3 + rnd.nextInt(10);
            for (int h = 1; h <= harmonics && f * h < SR / 2.0; h++) {
                double amp = level / (h * voices);
                double ph = rnd.nextDouble() * 2 * Math.PI;
                for (int i = 0; i < len; i++) {
                    double t = (double) i / SR;
                    x[pos + i] += (float) (amp * Math.exp(-decay * t * Math.sqrt(h)) * Math.sin(2 * Math.PI * f * h * t + ph));
                }
            }
        }
    }
}
