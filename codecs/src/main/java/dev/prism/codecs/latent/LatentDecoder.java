package dev.prism.codecs.latent;

/**
 * Streaming latent frames -> waveform. Output samples appear with the decoder's fixed delay; the
 * caller trims the total to the encoded length. Stateful: one instance per stream.
 */
public interface LatentDecoder {
    int sampleRate();

    int hopSize();

    int dim();

    /** Decodes one frame and returns the samples that became final (possibly none). */
    float[] decode(float[] frame);

    /** Returns any samples still held back. */
    float[] finish();
}
