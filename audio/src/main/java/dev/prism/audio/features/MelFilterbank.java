package dev.prism.audio.features;

/**
 * Mel filterbank as librosa.filters.mel(sr, n_fft, n_mels, fmin=0, fmax=sr/2, htk=False, norm="slaney"),
 * the one Whisper ships in mel_filters.npz: Slaney's mel scale (linear below 1 kHz, logarithmic above),
 * triangles between consecutive mel points, each scaled by 2 / (upper edge - lower edge) in Hz so every
 * filter has unit area over frequency.
 */
public final class MelFilterbank {
    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOG_STEP = Math.log(6.4) / 27.0;

    private MelFilterbank() {
    }

    public static double hzToMel(double hz) {
        return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
    }

    public static double melToHz(double mel) {
        return mel < MIN_LOG_MEL ? mel * F_SP : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
    }

    /** Filter edges and centres in Hz: {@code nMels + 2} points evenly spaced in mel from fmin to fmax. */
    public static double[] melPointsHz(int nMels, double fmin, double fmax) {
        double lo = hzToMel(fmin);
        double hi = hzToMel(fmax);
        double[] hz = new double[nMels + 2];
        for (int i = 0; i < hz.length; i++) {
            hz[i] = melToHz(lo + (hi - lo) * i / (nMels + 1));
        }
        return hz;
    }

    /** Weights {@code [nMels][nFft / 2 + 1]}. */
    public static float[][] slaney(int sampleRate, int nFft, int nMels) {
        int bins = nFft / 2 + 1;
        double[] fftHz = new double[bins];
        for (int k = 0; k < bins; k++) {
            fftHz[k] = (double) k * sampleRate / nFft;
        }
        double[] pts = melPointsHz(nMels, 0, sampleRate / 2.0);
        float[][] w = new float[nMels][bins];
        for (int m = 0; m < nMels; m++) {
            double lowerW = pts[m + 1] - pts[m];
            double upperW = pts[m + 2] - pts[m + 1];
            double enorm = 2.0 / (pts[m + 2] - pts[m]);
            for (int k = 0; k < bins; k++) {
                double lower = (fftHz[k] - pts[m]) / lowerW;
                double upper = (pts[m + 2] - fftHz[k]) / upperW;
                w[m][k] = (float) (Math.max(0, Math.min(lower, upper)) * enorm);
            }
        }
        return w;
    }
}
