package dev.prism.llm.runtime;

import dev.prism.llm.onnx.GraphBuilder;

/**
 * Settings of the model runtime.
 *
 * @param intraOpThreads threads ONNX Runtime uses inside one operator (0 = ORT's default: one per core)
 * @param allowSpinning  whether idle ORT worker threads spin; off by default because a model runs many
 *                       small per-layer sessions and spinning pools would burn cores between them
 * @param cuda           use the CUDA execution provider (needs the {@code -Pcuda} build, see package-info)
 * @param prepackWeights let ORT re-pack constant GEMM weights into its own layout (external-initializer
 *                       mode only): faster matmuls for a private copy of every weight
 * @param weightMode     how weights reach the sessions. GRAPH_INPUT (default) feeds the tensors wrapping
 *                       the mapped safetensors on every run: measured zero-copy. EXTERNAL_INITIALIZER
 *                       hands them over once with addExternalInitializers; ONNX Runtime 1.29 was
 *                       measured to copy them (about 2x the weight bytes), see RuntimeBench.
 */
public record RuntimeOptions(int intraOpThreads, boolean allowSpinning, boolean cuda, boolean prepackWeights,
                             GraphBuilder.WeightMode weightMode) {
    public RuntimeOptions {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = ONNX Runtime default), got " + intraOpThreads);
        }
        if (weightMode == null) {
            throw new IllegalArgumentException("weightMode must be GRAPH_INPUT or EXTERNAL_INITIALIZER");
        }
    }

    public static RuntimeOptions defaults() {
        return threads(0);
    }

    public static RuntimeOptions threads(int n) {
        return new RuntimeOptions(n, false, false, false, GraphBuilder.WeightMode.GRAPH_INPUT);
    }

    public RuntimeOptions withPrepackedWeights(boolean prepack) {
        return new RuntimeOptions(intraOpThreads, allowSpinning, cuda, prepack, weightMode);
    }

    public RuntimeOptions withWeightMode(GraphBuilder.WeightMode mode) {
        return new RuntimeOptions(intraOpThreads, allowSpinning, cuda, prepackWeights, mode);
    }

    public RuntimeOptions withCuda(boolean on) {
        return new RuntimeOptions(intraOpThreads, allowSpinning, on, prepackWeights, weightMode);
    }
}
