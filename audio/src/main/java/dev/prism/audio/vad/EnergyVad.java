package dev.prism.audio.vad;

import dev.prism.codecs.metrics.Fft;

import java.util.Arrays;

/**
 * Built-in VAD when no Silero model is configured: per 512-sample frame, the log energy in the speech band
 * (100-4000 Hz) relative to an adaptive noise floor (a low percentile of the whole signal's frame energies)
 * and the spectral flatness of that band (near 0.5 for white noise, far lower for voiced speech). The
 * speech probability is the product of two logistic scores, so loud stationary noise and very quiet audio
 * both stay below threshold. The floor is estimated over the audio passed in one call and capped at
 * {@code absoluteFloorDb + 10}, so loud coloured noise above that cap is only rejected by its flatness.
 */
public final class EnergyVad implements VoiceActivityDetector {
    private static final int N_FFT = 512;
    private static final double[] WINDOW = Fft.hannPeriodic(FRAME);
    private static final int LO_BIN = 100 * N_FFT / SAMPLE_RATE + 1;
    private static final int HI_BIN = 4000 * N_FFT / SAMPLE_RATE;

    private final double snrDb;
    private final double absoluteFloorDb;
    private final double maxFlatness;

    /**
     * @param snrDb           band energy above the noise floor that gives probability 0.5
     * @param absoluteFloorDb frames quieter than this (dB full scale) are never speech
     * @param maxFlatness     spectral flatness that gives probability 0.5 (speech is well below)
     */
    public EnergyVad(double snrDb, double absoluteFloorDb, double maxFlatness) {
        this.snrDb = snrDb;
        this.absoluteFloorDb = absoluteFloorDb;
        this.maxFlatness = maxFlatness;
    }

    public EnergyVad() {
        this(10, -50, 0.35);
    }

    @Override
    public String name() {
        return "energy-vad";
    }

    @Override
    public float[] speechProbabilities(float[] pcm16k) {
        int frames = (pcm16k.length + FRAME - 1) / FRAME;
        double[] energy = new double[frames];
        double[] flatness = new double[frames];
        float[] buf = new float[FRAME];
        for (int f = 0; f < frames; f++) {
            int n = Math.min(FRAME, pcm16k.length - f * FRAME);
            Arrays.fill(buf, 0);
            System.arraycopy(pcm16k, f * FRAME, buf, 0, n);
            double[] p = Fft.powerSpectrum(buf, 0, FRAME, WINDOW, N_FFT);
            double sum = 0;
            double logSum = 0;
            for (int k = LO_BIN; k <= HI_BIN; k++) {
                sum += p[k];
                logSum += Math.log(p[k] + 1e-20);
            }
            int bins = HI_BIN - LO_BIN + 1;
            double mean = sum / bins;
            // Hann window power gain 0.375 and an FFT of FRAME samples: normalise to mean-square dBFS
            energy[f] = 10 * Math.log10(sum * 2 / (0.375 * FRAME * FRAME) + 1e-12);
            flatness[f] = mean > 0 ? Math.exp(logSum / bins) / mean : 1;
        }
        double floor = noiseFloor(energy);
        float[] probs = new float[frames];
        for (int f = 0; f < frames; f++) {
            double loud = energy[f] < absoluteFloorDb ? 0 : sigmoid((energy[f] - floor - snrDb) / 2.0);
            double voiced = sigmoid((maxFlatness - flatness[f]) / 0.05);
            probs[f] = (float) (loud * voiced);
        }
        return probs;
    }

    /**
     * 10th percentile of frame energies, kept between the absolute floor minus 10 dB and the absolute floor
     * plus 10 dB: the upper cap keeps a short all-speech buffer (streaming) from taking speech for the floor.
     */
    private double noiseFloor(double[] energy) {
        if (energy.length == 0) {
            return absoluteFloorDb;
        }
        double[] s = energy.clone();
        Arrays.sort(s);
        return Math.min(absoluteFloorDb + 10, Math.max(s[(int) (0.1 * (s.length - 1))], absoluteFloorDb - 10));
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
