package dev.prism.codecs.cachegen;

import java.util.HashMap;
import java.util.Map;

/**
 * The model's RoPE frequencies, so a key's delta-vs-anchor prediction (ALGORITHMS.md 4.5) is the anchor's
 * reconstruction turned by the RoPE angle between the two tokens: keys carry their position's phase, which hides how
 * alike the same image patch is in consecutive frames (on the bench VLM, key correlation with the previous frame is
 * 0.02-0.11 as cached and 0.84-0.96 with the phase removed). Only the prediction changes; the residual is quantized on
 * the token's own grid as before, so the per-value bin bound of the cached (rotated) keys holds exactly. Pairs are
 * rotate-half (channel i with i + d/2 within each head, the Hugging Face Llama layout), angle = (p_t - p_a) *
 * inverseFrequencies[i], with positions the original token indices: valid for an unpruned cache whose positions are
 * 0..T-1. cos and sin come from StrictMath so encoder and decoder agree bit for bit on any JVM.
 */
public record KeyRope(float[] inverseFrequencies) {
    public KeyRope {
        CacheGenException.check(inverseFrequencies != null && inverseFrequencies.length > 0,
                "RoPE inverse frequencies missing: pass headDim / 2 of them");
        for (float f : inverseFrequencies) {
            CacheGenException.check(Float.isFinite(f), "RoPE inverse frequency " + f + " is not finite");
        }
        inverseFrequencies = inverseFrequencies.clone();
    }

    /** A model runtime's double-precision table, as the container carries it (float32). */
    public static KeyRope of(double[] inverseFrequencies) {
        CacheGenException.check(inverseFrequencies != null, "RoPE inverse frequencies missing: pass headDim / 2 of them");
        float[] f = new float[inverseFrequencies.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) inverseFrequencies[i];
        }
        return new KeyRope(f);
    }

    /** Llama's default table: theta^(-2i/d) for i < d/2. */
    public static KeyRope standard(double theta, int headDim) {
        float[] f = new float[headDim / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (1.0 / Math.pow(theta, 2.0 * i / headDim));
        }
        return new KeyRope(f);
    }

    /** Per-delta cos/sin tables; one instance per coding pass. */
    final class Rotator {
        private final Map<Integer, float[][]> tables = new HashMap<>();

        /** out[h] = anchor[h] turned by delta positions. */
        void rotate(float[][] anchor, int delta, float[][] out) {
            float[][] cs = tables.computeIfAbsent(delta, KeyRope.this::table);
            int half = inverseFrequencies.length;
            for (int h = 0; h < anchor.length; h++) {
                float[] a = anchor[h];
                float[] o = out[h];
                for (int i = 0; i < half; i++) {
                    float c = cs[0][i];
                    float s = cs[1][i];
                    o[i] = a[i] * c - a[i + half] * s;
                    o[i + half] = a[i + half] * c + a[i] * s;
                }
            }
        }
    }

    Rotator rotator() {
        return new Rotator();
    }

    private float[][] table(int delta) {
        float[][] cs = new float[2][inverseFrequencies.length];
        for (int i = 0; i < cs[0].length; i++) {
            double angle = (double) delta * inverseFrequencies[i];
            cs[0][i] = (float) StrictMath.cos(angle);
            cs[1][i] = (float) StrictMath.sin(angle);
        }
        return cs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRope k && java.util.Arrays.equals(inverseFrequencies, k.inverseFrequencies);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(inverseFrequencies);
    }
}
