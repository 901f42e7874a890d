package dev.prism.audio.features;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WhisperLogMelTest {

    /** Slaney mel of 1 kHz is exactly 15 (the linear part is 3 mel per 200 Hz). */
    @Test
    void slaneyMelScaleMatchesItsDefinition() {
        assertEquals(15.0, MelFilterbank.hzToMel(1000), 1e-12);
        assertEquals(7.5, MelFilterbank.hzToMel(500), 1e-12);
        assertEquals(15 + 27.0 * Math.log(8) / Math.log(6.4), MelFilterbank.hzToMel(8000), 1e-9);
        for (double hz : new double[] {0, 123.4, 999, 1000, 4321, 8000}) {
            assertEquals(hz, MelFilterbank.melToHz(MelFilterbank.hzToMel(hz)), 1e-9);
        }
    }

    @Test
    void slaneyFiltersHaveUnitAreaAndTriangularShape() {
        for (int nMels : new int[] {80, 128}) {
            float[][] w = MelFilterbank.slaney(16000, 400, nMels);
            assertEquals(nMels, w.length);
            assertEquals(201, w[0].length);
            double[] pts = MelFilterbank.melPointsHz(nMels, 0, 8000);
            for (int m = 0; m < nMels; m++) {
                // peak height is 2 / (upper - lower edge): the triangle's area in Hz is 1
                double height = 2.0 / (pts[m + 2] - pts[m]);
                double max = 0;
                double area = 0;
                for (int k = 0; k < 201; k++) {
                    assertTrue(w[m][k] >= 0);
                    max = Math.max(max, w[m][k]);
                    area += w[m][k] * 40.0; // bin spacing 16000 / 400 Hz
                    double hz = k * 40.0;
                    if (hz <= pts[m] || hz >= pts[m + 2]) {
                        assertEquals(0, w[m][k], 0, "outside the triangle of filter " + m);
                    }
                }
                assertTrue(max <= height + 1e-6);
                if (pts[m + 2] - pts[m] > 400) { // wide enough for the 40 Hz grid to sample the triangle well
                    assertEquals(1.0, area, 0.03, "area of filter " + m + " of " + nMels);
                }
            }
        }
    }

    @Test
    void silenceIsMinusOneAndAHalf() {
        float[][] mel = new WhisperLogMel(80).compute(new float[16000]);
        assertEquals(100, mel[0].length); // frames = samples / hop (the last STFT frame is dropped)
        for (float[] row : mel) {
            for (float v : row) {
                assertEquals(-1.5f, v, 1e-6); // (log10(1e-10) + 4) / 4
            }
        }
    }

    /**
     * A 1 kHz sine of amplitude 0.5 falls exactly on DFT bin 25; a periodic Hann window gives |X| = A N / 4 there
     * and A N / 8 on bins 24 and 26. So the expected mel energies follow from the filter formula alone, and the
     * clamp puts every other value at exactly peak - 2.
     */
    @Test
    void pureSinePeaksInTheExpectedMelBinWithTheExpectedValue() {
        float[] x = new float[16000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / 16000.0));
        }
        WhisperLogMel f = new WhisperLogMel(80);
        float[][] mel = f.compute(x);
        double[] pts = MelFilterbank.melPointsHz(80, 0, 8000);
        int bestMel = -1;
        double bestEnergy = 0;
        for (int m = 0; m < 80; m++) {
            double e = 0;
            for (int k = 24; k <= 26; k++) {
                double hz = k * 40.0;
                double tri = Math.max(0, Math.min((hz - pts[m]) / (pts[m + 1] - pts[m]),
                        (pts[m + 2] - hz) / (pts[m + 2] - pts[m + 1])));
                double power = k == 25 ? 50.0 * 50.0 : 25.0 * 25.0;
                e += tri * 2.0 / (pts[m + 2] - pts[m]) * power;
            }
            if (e > bestEnergy) {
                bestEnergy = e;
                bestMel = m;
            }
        }
        assertEquals(26, bestMel); // mel(1000 Hz) = 15 sits next to centre 27 * 45.245 / 81 = 15.08
        double expectedPeak = (Math.log10(bestEnergy) + 4) / 4;
        int mid = 50;
        assertEquals(expectedPeak, mel[bestMel][mid], 2e-4);
        double globalMax = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < 80; m++) {
            globalMax = Math.max(globalMax, mel[m][mid]);
        }
        assertEquals(mel[bestMel][mid], globalMax, 1e-6);
        // far from 1 kHz the spectrum is numerically empty: clamped to max - 8 in log10, i.e. peak - 2
        assertEquals(expectedPeak - 2, mel[79][mid], 2e-4);
        assertEquals(expectedPeak - 2, mel[0][mid], 2e-4);
    }

    @Test
    void reflectPaddingMirrorsWithoutRepeatingTheEdge() {
        assertEquals(1, WhisperLogMel.reflect(-1, 10));
        assertEquals(200, WhisperLogMel.reflect(-200, 1000));
        assertEquals(8, WhisperLogMel.reflect(10, 10));
        assertEquals(5, WhisperLogMel.reflect(5, 10));
        assertEquals(480000, WhisperLogMel.padOrTrim(new float[10], 480000).length);
        assertEquals(3000, new WhisperLogMel(128).compute(new float[480000])[0].length);
    }

    @Test
    void onlyWhispersBinCountsAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> new WhisperLogMel(64));
    }
}
