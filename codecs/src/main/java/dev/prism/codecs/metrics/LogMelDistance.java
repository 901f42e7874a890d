package dev.prism.codecs.metrics;

/**
 * Log-mel distance: mean over frames and bands of |log10 mel(ref) - log10 mel(est)|, with a Hann
 * STFT (n_fft 1024, hop 256), an 80-band HTK-mel triangular filterbank from 0 Hz to Nyquist and a
 * 1e-5 floor. Lower is better; 0 for identical signals. These settings are a choice (the papers'
 * mel losses use similar ones), stated so the figures can be reproduced.
 */
public final class LogMelDistance {
    private final int nFft;
    private final int hop;
    private final float[][] filters;   // [band][bin]
    private final float[] window;

    public LogMelDistance(int sampleRate) {
        this(sampleRate, 1024, 256, 80);
    }

    public LogMelDistance(int sampleRate, int nFft, int hop, int bands) {
        if (Integer.bitCount(nFft) != 1) {
            throw new IllegalArgumentException("n_fft must be a power of two, got " + nFft);
        }
        this.nFft = nFft;
        this.hop = hop;
        window = new float[nFft];
        for (int i = 0; i < nFft; i++) {
            window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / nFft));
        }
        int bins = nFft / 2 + 1;
        filters = new float[bands][bins];
        double melMax = hz2mel(sampleRate / 2.0);
        double[] edges = new double[bands + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = mel2hz(melMax * i / (bands + 1));
        }
        for (int m = 0; m < bands; m++) {
            for (int k = 0; k < bins; k++) {
                double f = (double) k * sampleRate / nFft;
                double up = (f - edges[m]) / (edges[m + 1] - edges[m]);
                double down = (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]);
                filters[m][k] = (float) Math.max(0, Math.min(up, down));
            }
        }
    }

    private static double hz2mel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    private static double mel2hz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    public double distance(float[] reference, float[] estimate) {
        int n = Math.min(reference.length, estimate.length);
        if (n < nFft) {
            throw new IllegalArgumentException("signals shorter than one STFT window (" + nFft + " samples)");
        }
        double sum = 0;
        long count = 0;
        double[] re = new double[nFft];
        double[] im = new double[nFft];
        double[] melR = new double[filters.length];
        double[] melE = new double[filters.length];
        for (int start = 0; start + nFft <= n; start += hop) {
            melSpectrum(reference, start, re, im, melR);
            melSpectrum(estimate, start, re, im, melE);
            for (int m = 0; m < filters.length; m++) {
                sum += Math.abs(Math.log10(Math.max(melR[m], 1e-5)) - Math.log10(Math.max(melE[m], 1e-5)));
                count++;
            }
        }
        return sum / count;
    }

    private void melSpectrum(float[] x, int start, double[] re, double[] im, double[] mel) {
        for (int i = 0; i < nFft; i++) {
            re[i] = x[start + i] * window[i];
            im[i] = 0;
        }
        Fft.transform(re, im);
        for (int m = 0; m < filters.length; m++) {
            double s = 0;
            float[] f = filters[m];
            for (int k = 0; k < f.length; k++) {
                if (f[k] != 0) {
                    s += f[k] * Math.sqrt(re[k] * re[k] + im[k] * im[k]);
                }
            }
            mel[m] = s;
        }
    }
}
