package dev.prism.llm.onnx;

import java.util.Map;

/** Small building blocks shared by the block graphs (norms, activations, linear layers). */
final class Nn {
    private Nn() {
    }

    /** HF Linear on a 2-D input: x [T, in] times W [out, in] transposed, plus an optional bias. */
    static String linear(GraphBuilder g, String x, String w, long out, long in, String bias) {
        String wt = g.weight(w, out, in);
        if (bias == null) {
            return g.op("Gemm", Map.of("transB", 1), x, wt);
        }
        return g.op("Gemm", Map.of("transB", 1), x, wt, g.weight(bias, out));
    }

    /** RMSNorm as Llama computes it in float32: x / sqrt(mean(x^2) + eps) * w. */
    static String rmsNorm(GraphBuilder g, String x, String w, long dim, double eps) {
        String ms = g.op("ReduceMean", Map.of("axes", new long[] {-1}, "keepdims", 1), g.op("Mul", x, x));
        String denom = g.op("Sqrt", g.op("Add", ms, g.scalar((float) eps)));
        return g.op("Mul", g.op("Div", x, denom), g.weight(w, dim));
    }

    static String layerNorm(GraphBuilder g, String x, String prefix, long dim, double eps) {
        return g.op("LayerNormalization", Map.of("axis", -1, "epsilon", (float) eps), x,
                g.weight(prefix + ".weight", dim), g.weight(prefix + ".bias", dim));
    }

    /** The activations HF configs name: gelu (erf), gelu_pytorch_tanh / gelu_new (tanh), quick_gelu, silu. */
    static String activation(GraphBuilder g, String x, String act) {
        switch (act) {
            case "gelu": {
                String erf = g.op("Erf", g.op("Mul", x, g.scalar((float) (1 / Math.sqrt(2)))));
                return g.op("Mul", g.op("Mul", x, g.scalar(0.5f)), g.op("Add", erf, g.scalar(1f)));
            }
            case "gelu_pytorch_tanh":
            case "gelu_new": {
                String cube = g.op("Mul", g.op("Mul", x, x), x);
                String inner = g.op("Add", x, g.op("Mul", cube, g.scalar(0.044715f)));
                String t = g.op("Tanh", g.op("Mul", inner, g.scalar((float) Math.sqrt(2 / Math.PI))));
                return g.op("Mul", g.op("Mul", x, g.scalar(0.5f)), g.op("Add", t, g.scalar(1f)));
            }
            case "quick_gelu":
                return g.op("Mul", x, g.op("Sigmoid", g.op("Mul", x, g.scalar(1.702f))));
            case "silu":
                return g.op("Mul", x, g.op("Sigmoid", x));
            default:
                throw new IllegalArgumentException("activation '" + act
                        + "' is not supported (gelu, gelu_pytorch_tanh, gelu_new, quick_gelu, silu)");
        }
    }
}
