package dev.prism.codecs.latent;

/**
 * A waveform <-> latent transform the audio codec can run: the analytic {@link MdctLatent} or a
 * neural encoder/decoder pair (ONNX exports, implemented in the audio module because neural
 * networks run through the llm module's runtime). Immutable; each stream gets fresh stateful
 * {@link LatentEncoder}/{@link LatentDecoder} instances.
 */
public interface LatentModel {
    /**
     * Identity recorded in .codes headers. A decoder rebuilds or looks up the latent from it, so it
     * must change whenever the transform does (MDCT: its parameters; neural: a hash of the model files).
     */
    String spec();

    int sampleRate();

    int hopSize();

    /** Floats per latent frame. */
    int dim();

    default double frameRate() {
        return (double) sampleRate() / hopSize();
    }

    /** Whether this latent uses demonstration weights (not trained on real audio); outputs must say so. */
    default boolean demo() {
        return false;
    }

    LatentEncoder encoder();

    LatentDecoder decoder();
}
