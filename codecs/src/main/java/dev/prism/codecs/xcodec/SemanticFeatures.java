package dev.prism.codecs.xcodec;

import java.util.List;

/**
 * X-Codec's semantic target (ALGORITHMS.md 6.1): pad the waveform with 160 zeros on each side, take
 * all hidden states of the teacher and average them, giving {@code [frames][dim]} at 50 Hz.
 */
public final class SemanticFeatures {
    /** Zeros added on each side before the teacher runs. */
    public static final int PAD = 160;

    private SemanticFeatures() {
    }

    public static float[][] extract(SemanticEncoder encoder, float[] waveform) {
        float[] padded = new float[waveform.length + 2 * PAD];
        System.arraycopy(waveform, 0, padded, PAD, waveform.length);
        return average(encoder.hiddenStates(padded), encoder.dim());
    }

    /** Mean over layers of {@code [layers][frames][dim]}. */
    public static float[][] average(List<float[][]> layers, int dim) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("semantic encoder returned no hidden states");
        }
        int frames = layers.get(0).length;
        float[][] out = new float[frames][dim];
        for (float[][] layer : layers) {
            if (layer.length != frames) {
                throw new IllegalArgumentException("hidden states disagree on frame count: " + layer.length + " vs " + frames);
            }
            for (int t = 0; t < frames; t++) {
                for (int d = 0; d < dim; d++) {
                    out[t][d] += layer[t][d];
                }
            }
        }
        float inv = 1f / layers.size();
        for (float[] row : out) {
            for (int d = 0; d < dim; d++) {
                row[d] *= inv;
            }
        }
        return out;
    }
}
