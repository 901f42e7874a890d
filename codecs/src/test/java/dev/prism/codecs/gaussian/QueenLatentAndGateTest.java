package dev.prism.codecs.gaussian;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class QueenLatentAndGateTest {

    @Test
    void latentDecodeRoundsDividesAndAppliesWeightsAndShift() {
        // 2 latents -> 3 features.
        float[] w = {1, 2, 3, 4, 5, 6};
        LatentDecoder d = new LatentDecoder(2, 3, w, new float[]{0.5f, 0, -1}, 2f);
        float[] out = d.decode(new float[]{1.4f, -0.6f}, 1);   // round -> (1, -1), / 2 -> (0.5, -0.5)
        assertArrayEquals(new float[]{0.5f + 0.5f - 2f, 1f - 2.5f, -1 + 1.5f - 3f}, out, 1e-6f);
        float[] prev = {10, 20, 30};
        assertArrayEquals(new float[]{9f, 18.5f, 27.5f}, d.decodeResidual(prev, new float[]{1.4f, -0.6f}, 1), 1e-6f);
    }

    @Test
    void dctBasisIsOrthonormalWhenSquare() {
        int n = 6;
        float[] d = LatentDecoder.dctBasis(n, n);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += d[i * n + a] * d[i * n + b];
                assertEquals(a == b ? 1 : 0, dot, 1e-5, "columns " + a + "," + b);
            }
        }
        assertEquals(1 / Math.sqrt(n), d[0], 1e-7);
        LatentDecoder opacity = LatentDecoder.dct(3, 1, new float[]{2f}, new float[]{0.1f});
        assertArrayEquals(new float[]{0.1f + 2f * (1 + 2 - 1)}, opacity.decode(new float[]{1, 2, -1}, 1), 1e-6f);
    }

    @Test
    void identityDecoderIsTheFixedStepQuantizer() {
        LatentDecoder id = LatentDecoder.identity(3, 0.25f);
        assertArrayEquals(new float[]{0.5f, -0.25f, 0f}, id.decode(new float[]{2.2f, -0.9f, 0.3f}, 1), 0f);
    }

    @Test
    void hardConcreteGateFollowsTheQueenFormulas() {
        HardConcreteGate g = HardConcreteGate.queenConfig();
        // Inference: clamp(sigmoid(la / 0.3) * 1.51 - 0.5, 0, 1).
        assertEquals(0, g.inference(-3), 0);
        assertEquals(1, g.inference(3), 0);
        assertEquals(0.5 * 1.51 - 0.5, g.inference(0), 1e-12);
        // u = 0.5 makes the noise vanish, leaving the inference gate.
        assertEquals(g.inference(0.2), g.sample(0.2, 0.5), 1e-12);
        double shift = 0.3 * Math.log(0.5 / 1.01);
        assertEquals(0.5, g.probabilityNonZero(shift), 1e-12);
        double[] la = g.initLogAlpha(new double[]{1, 2, 3, 1e6, 0});
        // median 2: p = 1/3, 1/2, 3/5, ~1 (clamped at log 1e3), 0 (clamped at log 1e-3).
        assertEquals(Math.log(0.5) + shift, la[0], 1e-9);
        assertEquals(shift, la[1], 1e-9);
        assertEquals(Math.log(1e3), la[3], 1e-9);
        assertEquals(Math.log(1e-3), la[4], 1e-9);
    }

    @Test
    void learnedGatesDriveWhichPositionsAreSent() {
        GaussianFrame base = SyntheticGaussians.scene(400, 11);
        QueenEncoder enc = new QueenEncoder(QueenConfig.defaults());
        QueenDecoder dec = new QueenDecoder();
        dec.decode(enc.encode(base).record());
        GaussianFrame moved = SyntheticGaussians.at(base, 3, 0, 400);
        float[] gates = new float[400];
        for (int i = 0; i < 50; i++) gates[i] = i < 25 ? 1f : 0.5f;
        EncodedGaussianFrame e = enc.encode(moved, gates);
        assertEquals(50, e.sentPositions());
        GaussianFrame out = dec.decode(e.record());
        assertTrue(out.sameAs(enc.reference()));
        assertEquals(moved.positions()[0], out.positions()[0], 1e-4f);
        float half = base.positions()[30 * 3] + 0.5f * (moved.positions()[30 * 3] - base.positions()[30 * 3]);
        assertEquals(half, out.positions()[30 * 3], 2e-4f);
        assertEquals(enc.reference().positions()[100 * 3], out.positions()[100 * 3]);
    }
}
