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
        double ratio = (double) targetRate / in.sampleRate();
        int outLen = (int) Math.round(x.length * ratio);
        float[] y = new float[outLen];
        double cutoff = Math.min(1.0, ratio);        // relative to the input Nyquist
        double halfWidth = HALF_TAPS / cutoff;
        for (int j = 0; j < outLen; j++) {
            double t = j / ratio;
            int lo = (int) Math.ceil(t - halfWidth);
            int hi = (int) Math.floor(t + halfWidth);
            double acc = 0;
            for (int i = Math.max(0, lo); i <= Math.min(x.length - 1, hi); i++) {
                double d = i - t;
                double arg = Math.PI * d * cutoff;
                double sinc = Math.abs(arg) < 1e-9 ? 1.0 : Math.sin(arg) / arg;
                double win = 0.5 + 0.5 * Math.cos(Math.PI * d / halfWidth);
                acc += x[i] * sinc * win * cutoff;
            }
            y[j] = (float) acc;
        }
        return new PcmAudio(y, targetRate);
    }
}
