package dev.prism.llm.model;

import dev.prism.llm.checkpoint.CheckpointException;
import dev.prism.llm.checkpoint.ModelConfig;

/**
 * Rotary position embedding frequencies (HF rotate-half convention) with the common scaling variants
 * of config.json's {@code rope_scaling}: default, linear, dynamic (NTK-aware, depends on the current
 * sequence length) and llama3 (frequency-band interpolation). The graphs take cos/sin as inputs, so
 * every variant is pure Java here and per-layer positions (MustDrop Stage C's own-cache-length
 * position, ALGORITHMS.md 1.3 step 5) are free.
 */
public record RopeScaling(String type, double theta, int headDim, double factor, int maxPositions,
                          double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {

    public static RopeScaling none(double theta, int headDim) {
        return new RopeScaling("default", theta, headDim, 1, 0, 1, 4, 8192);
    }

    public static RopeScaling from(ModelConfig c, int headDim) {
        double theta = c.getDouble("rope_theta", 10000);
        int maxPos = c.getInt("max_position_embeddings", 2048);
        if (!c.has("rope_scaling")) {
            return new RopeScaling("default", theta, headDim, 1, maxPos, 1, 4, maxPos);
        }
        ModelConfig s = c.section("rope_scaling");
        String type = s.getString("rope_type", s.getString("type", "default"));
        if (!type.equals("default") && !type.equals("linear") && !type.equals("dynamic") && !type.equals("llama3")) {
            throw new CheckpointException(c.where() + ": rope_scaling type '" + type
                    + "' is not supported (supported: default, linear, dynamic, llama3)");
        }
        return new RopeScaling(type, theta, headDim, s.getDouble("factor", 1), maxPos,
                s.getDouble("low_freq_factor", 1), s.getDouble("high_freq_factor", 4),
                s.getInt("original_max_position_embeddings", maxPos));
    }

    /** Inverse frequencies for a sequence currently seqLen long (only dynamic scaling looks at it). */
    public double[] inverseFrequencies(int seqLen) {
        int half = headDim / 2;
        double base = theta;
        if (type.equals("dynamic") && seqLen > maxPositions) {
            base = theta * Math.pow(factor * seqLen / maxPositions - (factor - 1), headDim / (headDim - 2.0));
        }
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = 1.0 / Math.pow(base, (2.0 * i) / headDim);
        }
        if (type.equals("linear")) {
            for (int i = 0; i < half; i++) {
                inv[i] /= factor;
            }
        } else if (type.equals("llama3")) {
            double lowWavelen = originalMaxPositions / lowFreqFactor;
            double highWavelen = originalMaxPositions / highFreqFactor;
            for (int i = 0; i < half; i++) {
                double wavelen = 2 * Math.PI / inv[i];
                if (wavelen > lowWavelen) {
                    inv[i] /= factor;
                } else if (wavelen >= highWavelen) {
                    double smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                    inv[i] = (1 - smooth) * inv[i] / factor + smooth * inv[i];
                }
            }
        }
        return inv;
    }

    /**
     * cos and sin tables [positions.length, headDim], each frequency duplicated over the two halves.
     * Returns {cos, sin}.
     */
    public float[][] cosSin(long[] positions, int seqLen) {
        double[] inv = inverseFrequencies(seqLen);
        int half = headDim / 2;
        float[] cos = new float[positions.length * headDim];
        float[] sin = new float[positions.length * headDim];
        for (int t = 0; t < positions.length; t++) {
            for (int i = 0; i < half; i++) {
                double a = positions[t] * inv[i];
                float c = (float) Math.cos(a);
                float s = (float) Math.sin(a);
                cos[t * headDim + i] = c;
                cos[t * headDim + half + i] = c;
                sin[t * headDim + i] = s;
                sin[t * headDim + half + i] = s;
            }
        }
        return new float[][] {cos, sin};
    }
}
