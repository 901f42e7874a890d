package dev.prism.llm.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.prism.llm.checkpoint.Weights;
import dev.prism.llm.kv.LayerKv;
import dev.prism.llm.model.DecoderSpec;
import dev.prism.llm.onnx.DecoderBlocks;
import dev.prism.llm.onnx.GraphBuilder;
import dev.prism.llm.runtime.BlockSession;
import dev.prism.llm.runtime.OrtRuntime;
import dev.prism.llm.runtime.RuntimeFailure;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A Llama/Qwen2 decoder compiled into one ORT session per layer (one graph definition; each layer's
 * weights are ORT tensors wrapping the mapped safetensors, fed as graph inputs by default or handed
 * over as external initializers, see RuntimeOptions.weightMode) plus embedding and LM-head sessions. Layers run one by one so the Java-owned KV cache and the pruning policies can act
 * between them (ARCHITECTURE.md, "The model runtime").
 */
public final class DecoderModel implements AutoCloseable {
    private final DecoderSpec spec;
    private final OrtRuntime runtime;
    private final BlockSession embedding;
    private final List<BlockSession> layers = new ArrayList<>();
    private final BlockSession head;
    private Function<String, FloatBuffer> layerWeights;
    private GraphBuilder.WeightMode mode;
    private List<BlockSession> batchedLayers;

    private DecoderModel(DecoderSpec spec, OrtRuntime runtime, BlockSession embedding, BlockSession head) {
        this.spec = spec;
        this.runtime = runtime;
        this.embedding = embedding;
        this.head = head;
    }

    public static DecoderModel compile(OrtRuntime rt, Weights w, DecoderSpec s) {
        return compile(rt, w, s, rt.options().weightMode());
    }

    /** Compiles with the chosen weight hand-over (external initializers, or graph inputs fed on every run). */
    public static DecoderModel compile(OrtRuntime rt, Weights w, DecoderSpec s, GraphBuilder.WeightMode mode) {
        BlockSession emb = rt.compile(DecoderBlocks.embeddingGraph(s, mode), n -> w.get(s.weightPrefix() + n).toFloat32Direct());
        BlockSession head = null;
        DecoderModel m = null;
        try {
            head = rt.compile(DecoderBlocks.headGraph(s, mode), n -> w.get(n.equals("lm_head.weight") ? s.lmHeadName()
                    : s.weightPrefix() + n).toFloat32Direct());
            m = new DecoderModel(s, rt, emb, head);
            // the batched layer sessions, compiled on first use, wrap the same buffers (no second fp16/bf16 conversion)
            Map<String, FloatBuffer> converted = new HashMap<>();
            Function<String, FloatBuffer> lw = n -> converted.computeIfAbsent(n, k -> w.get(k).toFloat32Direct()).duplicate();
            m.layerWeights = lw;
            m.mode = mode;
            GraphBuilder layerGraph = DecoderBlocks.layerGraph(s, mode);
            for (int i = 0; i < s.layers(); i++) {
                String prefix = s.layerPrefix(i);
                m.layers.add(rt.compile(layerGraph, n -> lw.apply(prefix + n)));
            }
            return m;
        } catch (RuntimeException e) {
            if (m != null) {
                m.close();
            } else {
                emb.close();
                if (head != null) {
                    head.close();
                }
            }
            throw e;
        }
    }

    public DecoderSpec spec() {
        return spec;
    }

    OrtEnvironment env() {
        return runtime.env();
    }

    /** The compiled session of one decoder layer (the batch runner feeds it ragged inputs). */
    BlockSession layerSession(int layer) {
        return layers.get(layer);
    }

    /**
     * One layer's session of the graph with a batch axis (DecoderBlocks.batchedLayerGraph), compiled on
     * first use over the same weight buffers (with external initializers ORT copies them once more).
     */
    synchronized BlockSession batchedLayerSession(int layer) {
        if (batchedLayers == null) {
            List<BlockSession> compiled = new ArrayList<>();
            try {
                GraphBuilder g = DecoderBlocks.batchedLayerGraph(spec, mode);
                for (int i = 0; i < spec.layers(); i++) {
                    String prefix = spec.layerPrefix(i);
                    compiled.add(runtime.compile(g, n -> layerWeights.apply(prefix + n)));
                }
            } catch (RuntimeException e) {
                compiled.forEach(BlockSession::close);
                throw e;
            }
            batchedLayers = compiled;
        }
        return batchedLayers.get(layer);
    }

    /** Token embeddings [ids.length * hidden]. */
    public float[] embed(long[] ids) {
        for (long id : ids) {
            if (id < 0 || id >= spec.vocab()) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + spec.vocab());
            }
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env(), LongBuffer.wrap(ids), new long[] {ids.length});
             OrtSession.Result r = embedding.run(Map.of("ids", t), Set.of("embeds"))) {
            return floats(r, "embeds");
        } catch (OrtException e) {
            throw new RuntimeFailure("embedding failed: " + e.getMessage(), e);
        }
    }

    /** Logits [vocab] of one hidden row [hidden]. */
    public float[] logits(float[] row) {
        return logits(row, 1);
    }

    /** Logits [n * vocab] of n hidden rows [n * hidden] in one LM-head run. */
    public float[] logits(float[] rows, int n) {
        if (n <= 0 || rows.length != n * spec.hidden()) {
            throw new IllegalArgumentException("LM head input must be n * hidden = " + n + " * " + spec.hidden()
                    + " values, got " + rows.length);
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env(), FloatBuffer.wrap(rows), new long[] {n, spec.hidden()});
             OrtSession.Result r = head.run(Map.of("h", t), Set.of("logits"))) {
            return floats(r, "logits");
        } catch (OrtException e) {
            throw new RuntimeFailure("LM head failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs layer {@code layer} on t new tokens at the given RoPE positions, attending over kv and
     * appending this step's keys/values to it.
     *
     * @param ropeSeqLen sequence length the RoPE scaling sees (dynamic NTK depends on it)
     * @param probeRows  query rows (0..t-1) whose attention probabilities are returned, or null
     */
    public LayerOutput runLayer(int layer, float[] x, int t, long[] positions, int ropeSeqLen, LayerKv kv, int[] probeRows) {
        int hd = spec.headDim();
        int kvh = spec.kvHeads();
        float[][] cs = spec.rope().cosSin(positions, ropeSeqLen);
        int cap = kv.capacity();
        long[] rows = new long[probeRows == null ? 1 : probeRows.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = probeRows == null ? t - 1 : probeRows[i];
            if (rows[i] < 0 || rows[i] >= t) {
                throw new IllegalArgumentException("probe row " + rows[i] + " outside 0.." + (t - 1));
            }
        }
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            LayerCall.inputs(in, env(), t, spec.hidden(), hd, x, cs[0], cs[1], kv.keys(), kv.values(),
                    new long[] {kvh, cap, hd}, kv.mask(t), new long[] {kvh, t, cap + t}, rows);
            Set<String> outs = LayerCall.outputs(probeRows != null);
            int[] before = new int[kvh];
            for (int g = 0; g < kvh; g++) {
                before[g] = kv.length(g);
            }
            try (OrtSession.Result r = layers.get(layer).run(in, outs)) {
                float[] y = floats(r, DecoderBlocks.Y);
                kv.append(LayerCall.buffer(r, DecoderBlocks.K_NEW), LayerCall.buffer(r, DecoderBlocks.V_NEW), t, positions);
                float[][][] probs = null;
                if (probeRows != null) {
                    probs = unpad(LayerCall.buffer(r, DecoderBlocks.PROBS), rows.length, cap, t, before);
                }
                return new LayerOutput(y, probs);
            }
        } catch (OrtException e) {
            throw new RuntimeFailure("decoder layer " + layer + " failed: " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    /** [H, R, cap+t] padded rows -> per head [R][len_g + t] (live cache entries, then new tokens). */
    private float[][][] unpad(FloatBuffer p, int r, int cap, int t, int[] before) {
        int h = spec.heads();
        int cols = cap + t;
        float[][][] out = new float[h][r][];
        for (int head = 0; head < h; head++) {
            int len = before[head / spec.groups()];
            for (int row = 0; row < r; row++) {
                float[] o = new float[len + t];
                int base = (head * r + row) * cols;
                p.get(base, o, 0, len);
                p.get(base + cap, o, len, t);
                out[head][row] = o;
            }
        }
        return out;
    }


    private static float[] floats(OrtSession.Result r, String name) {
        FloatBuffer b = LayerCall.buffer(r, name);
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public synchronized void close() {
        layers.forEach(BlockSession::close);
        if (batchedLayers != null) {
            batchedLayers.forEach(BlockSession::close);
        }
        embedding.close();
        head.close();
    }
}
