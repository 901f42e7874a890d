package dev.prism.codecs.io;

/**
 * Band-limited resampling by windowed-sinc interpolation (Hann window, 16 zero crossings each
 * side, cutoff at the lower Nyquist). Enough to bring 16 kHz speech or 48 kHz music to the
 * codec's 24 kHz; not a streaming resampler.
 */
public final class Resampler {
    private static final int HALF_TAPS = 16;

    private Resampler() {
    }

    public static PcmAudio resample(PcmAudio in, int targetRate) {
        if (in.sampleRate() == targetRate) {
            return in;
        }
        float[] x = in.samples();
        int g = gcd(in.sampleRate(), targetRate);
        int up = targetRate / g;        // output phases
        int down = in.sampleRate() / g;
        double ratio = (double) targetRate / in.sampleRate();
        int outLen = (int) Math.round(x.length * ratio);
        double cutoff = Math.min(1.0, ratio);        // relative to the input Nyquist
        double halfWidth = HALF_TAPS / cutoff;
        int taps = 2 * (int) Math.ceil(halfWidth) + 2;
        // Output j sits at input position j*down/up: its fractional part repeats with period 'up',
        // so the kernel is tabulated once per phase (16 -> 24 kHz: 3 phases).
        boolean tabulate = up <= 4096;
        float[][] table = tabulate ? new float[up][] : null;
        float[] y = new float[outLen];
        for (int j = 0; j < outLen; j++) {
            long num = (long) j * down;
            int base = (int) (num / up);
            int phase = (int) (num % up);
            double frac = (double) phase / up;
            int lo = base - taps / 2 + 1;
            float[] kernel;
            if (tabulate) {
                if (table[phase] == null) {
                    table[phase] = kernel(lo - base, taps, frac, cutoff, halfWidth);
                }
                kernel = table[phase];
            } else {
                kernel = kernel(lo - base, taps, frac, cutoff, halfWidth);
            }
            double acc = 0;
            for (int k = 0; k < taps; k++) {
                int i = lo + k;
                if (i >= 0 && i < x.length) {
                    acc += x[i] * kernel[k];
                }
            }
            y[j] = (float) acc;
        }
        return new PcmAudio(y, targetRate);
    }

    private static float[] kernel(int firstOffset, int taps, double frac, double cutoff, double halfWidth) {
        float[] k = new float[taps];
        for (int n = 0; n < taps; n++) {
            double d = firstOffset + n - frac;
            if (Math.abs(d) > halfWidth) {
                continue;
            }
            double arg = Math.PI * d * cutoff;
            double sinc = Math.abs(arg) < 1e-9 ? 1.0 : Math.sin(arg) / arg;
            double win = 0.5 + 0.5 * Math.cos(Math.PI * d / halfWidth);
            k[n] = (float) (sinc * win * cutoff);
        }
        return k;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
