package dev.prism.codecs.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MdctLatentTest {

    static float[] signal(int len, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 24000.0) + 0.2 * rnd.nextGaussian());
        }
        return x;
    }

    static List<float[]> encodeInChunks(LatentEncoder enc, float[] x, Random rnd) {
        List<float[]> frames = new ArrayList<>();
        int pos = 0;
        while (pos < x.length) {
            int len = Math.min(x.length - pos, 1 + rnd.nextInt(900));
            frames.addAll(enc.push(x, pos, len));
            pos += len;
        }
        frames.addAll(enc.finish());
        return frames;
    }

    static float[] decodeAll(LatentDecoder dec, List<float[]> frames) {
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (float[] f : frames) {
            float[] out = dec.decode(f);
            parts.add(out);
            total += out.length;
        }
        float[] all = new float[total];
        int p = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, p, part.length);
            p += part.length;
        }
        return all;
    }

    @Test
    void analysisThenSynthesisReconstructsTheWaveform() {
        MdctLatent mdct = MdctLatent.default24k();
        for (int len : new int[] {0, 1, 319, 320, 321, 24_000, 24_007}) {
            float[] x = signal(len, len);
            List<float[]> frames = encodeInChunks(mdct.encoder(), x, new Random(len));
            assertEquals(mdct.framesFor(len), frames.size(), "frame count for " + len + " samples");
            float[] y = decodeAll(mdct.decoder(), frames);
            assertTrue(y.length >= len);
            double maxErr = 0;
            for (int i = 0; i < len; i++) {
                maxErr = Math.max(maxErr, Math.abs(x[i] - y[i]));
            }
            assertTrue(maxErr < 2e-5, "TDAC reconstruction error " + maxErr + " for " + len + " samples");
        }
    }

    @Test
    void unweightedTransformIsOrthonormalSoEnergyIsPreserved() {
        MdctLatent plain = new MdctLatent(24_000, 320, 0, 0);
        float[] x = signal(48_000, 9);
        List<float[]> frames = encodeInChunks(plain.encoder(), x, new Random(1));
        double ex = 0;
        double ec = 0;
        for (float v : x) {
            ex += v * v;
        }
        for (float[] f : frames) {
            for (float v : f) {
                ec += v * v;
            }
        }
        assertEquals(ex, ec, ex * 1e-4, "Parseval for the orthonormal lapped transform");
    }

    @Test
    void foldedTransformEqualsTheDirectMdctDefinition() {
        MdctLatent plain = new MdctLatent(24_000, 8, 0, 0);
        float[] x = signal(16, 3);   // exactly one full block for frame 1: samples [0, 16)
        List<float[]> frames = plain.encoder().push(x, 0, 16);
        float[] got = frames.get(1);
        int n = 8;
        for (int k = 0; k < n; k++) {
            double s = 0;
            for (int i = 0; i < 2 * n; i++) {
                double w = Math.sin(Math.PI * (i + 0.5) / (2 * n));
                s += w * x[i] * Math.cos(Math.PI / n * (i + 0.5 + n / 2.0) * (k + 0.5));
            }
            assertEquals(Math.sqrt(2.0 / n) * s, got[k], 1e-5, "coefficient " + k);
        }
    }

    @Test
    void perceptualWeightingShrinksHighBinsAndIsInvertedOnDecode() {
        MdctLatent mdct = MdctLatent.default24k();
        assertTrue(mdct.weight(0) > 0.99f);
        // Top bin centre ~11.98 kHz: (1 + 11.98)^-0.5 = 0.2776.
        assertEquals(Math.pow(1 + (319.5 * 24000 / 640.0) / 1000.0, -0.5), mdct.weight(319), 1e-5);
        for (int k = 1; k < 320; k++) {
            assertTrue(mdct.weight(k) < mdct.weight(k - 1));
        }
        assertEquals(75.0, mdct.frameRate(), 1e-12);
    }
}
