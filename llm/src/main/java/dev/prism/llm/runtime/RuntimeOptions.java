package dev.prism.llm.runtime;

/**
 * Settings of the model runtime.
 *
 * @param intraOpThreads threads ONNX Runtime uses inside one operator (0 = ORT's default: one per core)
 * @param allowSpinning whether idle ORT worker threads spin; off by default because a model runs many
 *                      small per-layer sessions and spinning pools would burn cores between them
 * @param cuda          use the CUDA execution provider (needs the {@code -Pcuda} build, see package-info)
 */
public record RuntimeOptions(int intraOpThreads, boolean allowSpinning, boolean cuda) {
    public RuntimeOptions {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0 (0 = ONNX Runtime default), got " + intraOpThreads);
        }
    }

    public static RuntimeOptions defaults() {
        return new RuntimeOptions(0, false, false);
    }

    public static RuntimeOptions threads(int n) {
        return new RuntimeOptions(n, false, false);
    }
}
