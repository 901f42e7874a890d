package dev.prism.codecs.latent;

import java.util.List;

/**
 * Streaming waveform -> latent frames (one frame per {@link #hopSize()} samples). Neural encoders
 * (ONNX exports: dev.prism.audio.codec.OnnxLatentEncoder in the audio module) and the analytic
 * {@link MdctLatent} implement it. Stateful: one instance per stream; not thread-safe.
 */
public interface LatentEncoder {
    int sampleRate();

    int hopSize();

    int dim();

    /** Feeds mono PCM in [-1, 1]; returns the frames that became complete, each {@code float[dim]}. */
    List<float[]> push(float[] pcm, int off, int len);

    /** Zero-pads the tail so that every sample fed is covered; returns the remaining frames. */
    List<float[]> finish();
}
