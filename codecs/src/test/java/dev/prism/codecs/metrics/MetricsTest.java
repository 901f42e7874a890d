package dev.prism.codecs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void siSnrIsScaleInvariantAndMatchesAKnownNoiseLevel() {
        Random rnd = new Random(1);
        float[] s = new float[48_000];
        float[] noisy = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) Math.sin(2 * Math.PI * 300 * i / 24_000.0);
            noisy[i] = s[i] + (float) (rnd.nextGaussian() * Math.sqrt(0.5) * 0.1);
        }
        // Signal power 0.5, noise power 0.005: 20 dB.
        assertEquals(20.0, AudioMetrics.siSnr(s, noisy), 0.2);
        float[] scaled = noisy.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= 3.7f;
        }
        assertEquals(AudioMetrics.siSnr(s, noisy), AudioMetrics.siSnr(s, scaled), 1e-6);
        assertEquals(3.0, AudioMetrics.kbps(375, 1.0), 1e-12);
    }

    @Test
    void logMelDistanceIsZeroForIdenticalAndGrowsWithDistortion() {
        Random rnd = new Random(2);
        float[] s = new float[24_000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 24_000.0) + 0.01 * rnd.nextGaussian());
        }
        LogMelDistance m = new LogMelDistance(24_000);
        assertEquals(0.0, m.distance(s, s), 1e-12);
        float[] a = s.clone();
        float[] b = s.clone();
        for (int i = 0; i < s.length; i++) {
            double n = rnd.nextGaussian();
            a[i] += (float) (0.01 * n);
            b[i] += (float) (0.1 * n);
        }
        assertTrue(m.distance(s, a) < m.distance(s, b));
    }

    @Test
    void codeUsageCountsDeadCodesAndEntropy() {
        int[] codes = {0, 5, 1, 5, 2, 5, 3, 5};   // two code positions, 8 entries each
        CodeUsage[] u = CodeUsage.of(codes, 2, 8);
        assertEquals(2.0, u[0].entropyBits(), 1e-12, "uniform over 4 codes");
        assertEquals(4, u[0].deadCodes());
        assertEquals(0.0, u[1].entropyBits(), 1e-12);
        assertEquals(7, u[1].deadCodes());
        assertEquals(4.0, u[0].perplexity(), 1e-9);
    }
}
