package dev.prism.llm.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.prism.llm.onnx.DecoderBlocks;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decoder-layer graph's inputs and outputs, shared by the single-sequence, ragged and padded batch runs
 * (they differ only in shapes and in how outputs are split back per sequence).
 */
final class LayerCall {
    private LayerCall() {
    }

    /**
     * Puts every input tensor into {@code in}, which the caller closes (also when this throws half-way).
     *
     * @param tokenShape leading shape of x, cos and sin ({t} or {b * t})
     * @param kvShape    shape of the past keys and values
     */
    static void inputs(Map<String, OnnxTensor> in, OrtEnvironment env, long tokenShape, int hidden, int headDim,
                       float[] x, float[] cos, float[] sin, FloatBuffer pastK, FloatBuffer pastV, long[] kvShape,
                       float[] mask, long[] maskShape, long[] probeRows) throws OrtException {
        in.put(DecoderBlocks.X, OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {tokenShape, hidden}));
        in.put(DecoderBlocks.COS, OnnxTensor.createTensor(env, FloatBuffer.wrap(cos), new long[] {tokenShape, headDim}));
        in.put(DecoderBlocks.SIN, OnnxTensor.createTensor(env, FloatBuffer.wrap(sin), new long[] {tokenShape, headDim}));
        in.put(DecoderBlocks.PAST_K, OnnxTensor.createTensor(env, pastK, kvShape));
        in.put(DecoderBlocks.PAST_V, OnnxTensor.createTensor(env, pastV, kvShape));
        in.put(DecoderBlocks.MASK, OnnxTensor.createTensor(env, FloatBuffer.wrap(mask), maskShape));
        in.put(DecoderBlocks.PROBE_ROWS, OnnxTensor.createTensor(env, LongBuffer.wrap(probeRows),
                new long[] {probeRows.length}));
    }

    /** The outputs to fetch: hidden states and new K/V, plus attention probabilities when rows are probed. */
    static Set<String> outputs(boolean probes) {
        Set<String> outs = new HashSet<>(List.of(DecoderBlocks.Y, DecoderBlocks.K_NEW, DecoderBlocks.V_NEW));
        if (probes) {
            outs.add(DecoderBlocks.PROBS);
        }
        return outs;
    }

    static FloatBuffer buffer(OrtSession.Result r, String name) {
        return ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
    }
}
