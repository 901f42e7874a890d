package dev.prism.audio.features;

import dev.prism.codecs.metrics.Fft;
import dev.prism.audio.AudioException;

/**
 * Whisper's log-mel front end (openai/whisper audio.py log_mel_spectrogram), exactly: 16 kHz input,
 * STFT with n_fft 400 and hop 160 over a periodic Hann window, centred frames with reflect padding of
 * n_fft/2 on both sides (torch.stft center=True, pad_mode="reflect"), the last frame dropped, power
 * spectrum, Slaney mel filterbank (80 or 128 bins), log10 of max(mel, 1e-10), clamped below at the
 * global maximum - 8, then (x + 4) / 4. The 400-point DFT is computed directly from tables (400 is not a
 * power of two), in double precision.
 */
public final class WhisperLogMel {
    public static final int SAMPLE_RATE = 16_000;
    public static final int N_FFT = 400;
    public static final int HOP = 160;
    /** 30 s: Whisper's encoder window. */
    public static final int N_SAMPLES = 30 * SAMPLE_RATE;

    private final int nMels;
    private final float[][] filters;
    private final double[] window = Fft.hannPeriodic(N_FFT);
    private final double[][] cos = new double[N_FFT / 2 + 1][N_FFT];
    private final double[][] sin = new double[N_FFT / 2 + 1][N_FFT];

    public WhisperLogMel(int nMels) {
        if (nMels != 80 && nMels != 128) {
            throw new IllegalArgumentException("Whisper uses 80 or 128 mel bins (large-v3: 128), not " + nMels);
        }
        this.nMels = nMels;
        this.filters = MelFilterbank.slaney(SAMPLE_RATE, N_FFT, nMels);
        for (int k = 0; k <= N_FFT / 2; k++) {
            for (int n = 0; n < N_FFT; n++) {
                // (k * n) mod N keeps the angle exact for large products
                double ang = 2 * Math.PI * ((long) k * n % N_FFT) / N_FFT;
                cos[k][n] = Math.cos(ang);
                sin[k][n] = Math.sin(ang);
            }
        }
    }

    public int nMels() {
        return nMels;
    }

    public float[][] filters() {
        return filters;
    }

    /** Pads with zeros or trims to exactly {@code length} samples (Whisper's pad_or_trim). */
    public static float[] padOrTrim(float[] audio, int length) {
        float[] out = new float[length];
        System.arraycopy(audio, 0, out, 0, Math.min(length, audio.length));
        return out;
    }

    /** Log-mel spectrogram {@code [nMels][audio.length / 160]}. */
    public float[][] compute(float[] audio) {
        if (audio.length < 2) {
            throw new AudioException("Whisper log-mel needs at least 2 samples, got " + audio.length);
        }
        int frames = audio.length / HOP;
        int bins = N_FFT / 2 + 1;
        double[][] mel = new double[nMels][frames];
        double[] frame = new double[N_FFT];
        double[] power = new double[bins];
        double maxLog = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < frames; t++) {
            int start = t * HOP - N_FFT / 2;
            for (int n = 0; n < N_FFT; n++) {
                frame[n] = audio[reflect(start + n, audio.length)] * window[n];
            }
            for (int k = 0; k < bins; k++) {
                double re = 0;
                double im = 0;
                double[] c = cos[k];
                double[] s = sin[k];
                for (int n = 0; n < N_FFT; n++) {
                    re += frame[n] * c[n];
                    im -= frame[n] * s[n];
                }
                power[k] = re * re + im * im;
            }
            for (int m = 0; m < nMels; m++) {
                float[] w = filters[m];
                double acc = 0;
                for (int k = 0; k < bins; k++) {
                    if (w[k] != 0) {
                        acc += w[k] * power[k];
                    }
                }
                double v = Math.log10(Math.max(acc, 1e-10));
                mel[m][t] = v;
                maxLog = Math.max(maxLog, v);
            }
        }
        float[][] out = new float[nMels][frames];
        double floor = maxLog - 8.0;
        for (int m = 0; m < nMels; m++) {
            for (int t = 0; t < frames; t++) {
                out[m][t] = (float) ((Math.max(mel[m][t], floor) + 4.0) / 4.0);
            }
        }
        return out;
    }

    /** Index into the signal as torch's reflect padding sees it (edge sample not repeated). */
    static int reflect(int i, int n) {
        while (i < 0 || i >= n) {
            if (i < 0) {
                i = -i;
            }
            if (i >= n) {
                i = 2 * (n - 1) - i;
            }
        }
        return i;
    }
}
