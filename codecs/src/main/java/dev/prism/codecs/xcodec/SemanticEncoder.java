package dev.prism.codecs.xcodec;

import java.util.List;

/**
 * A frozen semantic teacher (HuBERT-base, WavLM-base-plus... run through the llm module's model
 * runtime, or a small deterministic one in tests). Returns every hidden state, the embedding
 * output included (13 for a base model), so {@link SemanticFeatures} can average them as X-Codec
 * does (ALGORITHMS.md 6.1).
 */
public interface SemanticEncoder {
    int sampleRate();

    /** Width of each hidden state (768 for base models). */
    int dim();

    /** Hidden states {@code [layers][frames][dim]} for an already padded waveform. */
    List<float[][]> hiddenStates(float[] paddedWaveform);
}
