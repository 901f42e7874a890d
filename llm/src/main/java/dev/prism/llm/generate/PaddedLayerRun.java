package dev.prism.llm.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.prism.llm.model.DecoderSpec;
import dev.prism.llm.onnx.DecoderBlocks;
import dev.prism.llm.runtime.RuntimeFailure;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One decoder layer run over several sequences through the graph with a batch axis
 * (DecoderBlocks.batchedLayerGraph): every sequence's new tokens padded to the longest, every cache
 * copied into [B, KvH, P, hd] padded to the longest, a mask [B, KvH, T, P+T] hiding padding, dropped
 * entries and the future. Attention then costs B x P per query row instead of the ragged run's sum of
 * all caches, which is what decode steps need once caches grow; the padded rows cost full linear-layer
 * work, so BatchGenerator sends only decode steps (one token each, no padding) here.
 *
 * <p>Not thread-safe: the padded caches are built in scratch buffers reused from call to call.
 */
final class PaddedLayerRun {
    private final DecoderModel model;
    private FloatBuffer scratchK;
    private FloatBuffer scratchV;

    PaddedLayerRun(DecoderModel model) {
        this.model = model;
    }

    LayerOutput[] run(int layer, List<RaggedLayerRun.Part> parts) {
        DecoderSpec s = model.spec();
        int d = s.hidden();
        int hd = s.headDim();
        int kvh = s.kvHeads();
        int b = parts.size();
        int t = 0;
        int p = 1;
        int probes = 0;
        for (RaggedLayerRun.Part part : parts) {
            t = Math.max(t, part.n());
            p = Math.max(p, part.kv().maxLength());
            probes += part.probeRows() == null ? 0 : part.probeRows().length;
        }
        float[] x = new float[b * t * d];
        float[] cos = new float[b * t * hd];
        float[] sin = new float[b * t * hd];
        long[] rows = new long[Math.max(1, probes)];
        int r = 0;
        int[][] before = new int[b][kvh];
        for (int i = 0; i < b; i++) {
            RaggedLayerRun.Part part = parts.get(i);
            System.arraycopy(part.x(), 0, x, i * t * d, part.n() * d);
            float[][] cs = s.rope().cosSin(part.positions(), part.ropeSeqLen());
            System.arraycopy(cs[0], 0, cos, i * t * hd, part.n() * hd);
            System.arraycopy(cs[1], 0, sin, i * t * hd, part.n() * hd);
            if (part.probeRows() != null) {
                for (int row : part.probeRows()) {
                    if (row < 0 || row >= part.n()) {
                        throw new IllegalArgumentException("sequence " + i + ": probe row " + row + " outside 0.." + (part.n() - 1));
                    }
                    rows[r++] = (long) i * t + row;
                }
            }
            for (int g = 0; g < kvh; g++) {
                before[i][g] = part.kv().length(g);
            }
        }
        FloatBuffer pk = pad(parts, p, true);
        FloatBuffer pv = pad(parts, p, false);
        float[] mask = mask(parts, t, p, kvh);
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            var env = model.env();
            LayerCall.inputs(in, env, (long) b * t, d, hd, x, cos, sin, pk, pv, new long[] {b, kvh, p, hd}, mask,
                    new long[] {b, kvh, t, p + t}, rows);
            Set<String> outs = LayerCall.outputs(probes > 0);
            try (OrtSession.Result res = model.batchedLayerSession(layer).run(in, outs)) {
                FloatBuffer y = LayerCall.buffer(res, DecoderBlocks.Y);
                FloatBuffer kNew = LayerCall.buffer(res, DecoderBlocks.K_NEW);
                FloatBuffer vNew = LayerCall.buffer(res, DecoderBlocks.V_NEW);
                FloatBuffer probs = probes > 0 ? LayerCall.buffer(res, DecoderBlocks.PROBS) : null;
                LayerOutput[] out = new LayerOutput[b];
                int probeBase = 0;
                for (int i = 0; i < b; i++) {
                    RaggedLayerRun.Part part = parts.get(i);
                    int n = part.n();
                    float[] yi = new float[n * d];
                    y.get(i * t * d, yi);
                    part.kv().append(slice(kNew, i, kvh, t, n, hd), slice(vNew, i, kvh, t, n, hd), n, part.positions());
                    float[][][] pr = null;
                    if (part.probeRows() != null) {
                        pr = unpad(probs, rows.length, probeBase, part.probeRows().length, p, t, n, before[i]);
                        probeBase += part.probeRows().length;
                    }
                    out[i] = new LayerOutput(yi, pr);
                }
                return out;
            }
        } catch (OrtException e) {
            throw new RuntimeFailure("batched decoder layer " + layer + " failed: " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    /** Every sequence's live K (or V) entries, each head padded to p entries: [B, kvHeads, p, headDim]. */
    private FloatBuffer pad(List<RaggedLayerRun.Part> parts, int p, boolean keys) {
        DecoderSpec s = model.spec();
        int hd = s.headDim();
        int kvh = s.kvHeads();
        int need = parts.size() * kvh * p * hd;
        FloatBuffer scratch = keys ? scratchK : scratchV;
        if (scratch == null || scratch.capacity() < need) {
            // padding columns are masked but must hold finite values (0 * NaN would poison the context):
            // zeros at allocation, earlier calls' keys and values afterwards
            scratch = ByteBuffer.allocateDirect(need * 3 / 2 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            if (keys) {
                scratchK = scratch;
            } else {
                scratchV = scratch;
            }
        }
        FloatBuffer dst = scratch.duplicate().clear();
        for (int i = 0; i < parts.size(); i++) {
            var kv = parts.get(i).kv();
            int w = kv.maxLength();
            FloatBuffer src = keys ? kv.keys() : kv.values();
            for (int g = 0; g < kvh && w > 0; g++) {
                int from = g * kv.capacity() * hd;
                src.limit(from + w * hd).position(from);
                dst.position(((i * kvh + g) * p) * hd);
                dst.put(src);
                src.clear();
            }
        }
        return dst.clear().limit(need);
    }

    /** [B, kvHeads, T, p + T]: each query sees its head's live entries and its own tokens up to itself. */
    private static float[] mask(List<RaggedLayerRun.Part> parts, int t, int p, int kvh) {
        int width = p + t;
        float[] m = new float[parts.size() * kvh * t * width];
        Arrays.fill(m, -1e9f);
        for (int i = 0; i < parts.size(); i++) {
            RaggedLayerRun.Part part = parts.get(i);
            for (int g = 0; g < kvh; g++) {
                int len = part.kv().length(g);
                for (int q = 0; q < t; q++) {
                    int row = ((i * kvh + g) * t + q) * width;
                    if (q < part.n()) {
                        Arrays.fill(m, row, row + len, 0f);
                        Arrays.fill(m, row + p, row + p + q + 1, 0f);
                    } else {
                        // a padding row attends to itself only, so its softmax stays well defined
                        m[row + p + q] = 0f;
                    }
                }
            }
        }
        return m;
    }

    /** Sequence i's first n rows of k_new/v_new [B, kvHeads, T, hd] as [kvHeads, n, hd]. */
    private static FloatBuffer slice(FloatBuffer all, int i, int kvh, int t, int n, int hd) {
        float[] out = new float[kvh * n * hd];
        for (int g = 0; g < kvh; g++) {
            all.get(((i * kvh + g) * t) * hd, out, g * n * hd, n * hd);
        }
        return FloatBuffer.wrap(out);
    }

    /** probs [H, R, p+T] -> this sequence's [H][rows][len_g + n] (live cache entries, then its new tokens). */
    private float[][][] unpad(FloatBuffer probs, int allRows, int rowBase, int nRows, int p, int t, int n, int[] before) {
        DecoderSpec s = model.spec();
        int h = s.heads();
        int width = p + t;
        float[][][] out = new float[h][nRows][];
        for (int head = 0; head < h; head++) {
            int len = before[head / s.groups()];
            for (int row = 0; row < nRows; row++) {
                float[] o = new float[len + n];
                int base = (head * allRows + rowBase + row) * width;
                probs.get(base, o, 0, len);
                probs.get(base + p, o, len, n);
                out[head][row] = o;
            }
        }
        return out;
    }

}
