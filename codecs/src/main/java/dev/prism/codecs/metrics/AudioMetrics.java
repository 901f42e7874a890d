package dev.prism.codecs.metrics;

/**
 * Waveform metrics used to judge the codec (ALGORITHMS.md 5.6, 7.6): SI-SNR, log-mel distance and
 * bitrate. Both signals are compared over their common length.
 */
public final class AudioMetrics {
    private AudioMetrics() {
    }

    /**
     * Scale-invariant SNR in dB: both signals made zero-mean, the estimate projected on the
     * reference, 10 log10(|projection|^2 / |estimate - projection|^2).
     */
    public static double siSnr(float[] reference, float[] estimate) {
        int n = Math.min(reference.length, estimate.length);
        if (n == 0) {
            throw new IllegalArgumentException("SI-SNR of empty signals");
        }
        double mr = 0;
        double me = 0;
        for (int i = 0; i < n; i++) {
            mr += reference[i];
            me += estimate[i];
        }
        mr /= n;
        me /= n;
        double dot = 0;
        double rr = 0;
        for (int i = 0; i < n; i++) {
            double r = reference[i] - mr;
            dot += r * (estimate[i] - me);
            rr += r * r;
        }
        double alpha = rr == 0 ? 0 : dot / rr;
        double target = 0;
        double noise = 0;
        for (int i = 0; i < n; i++) {
            double t = alpha * (reference[i] - mr);
            double e = (estimate[i] - me) - t;
            target += t * t;
            noise += e * e;
        }
        return 10 * Math.log10((target + 1e-20) / (noise + 1e-20));
    }

    /** Bitrate in kbit/s of {@code bytes} (headers and framing included) over {@code seconds}. */
    public static double kbps(long bytes, double seconds) {
        return bytes * 8.0 / seconds / 1000.0;
    }
}
