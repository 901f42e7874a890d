package dev.prism.llm.generate;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.prism.llm.kv.LayerKv;
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
 * One decoder layer run over several sequences in one session call, by ragged concatenation: the new
 * tokens of every sequence are stacked along T, every sequence's cache along P, and a block-diagonal
 * additive mask keeps each query on its own sequence's live cache entries and its own new tokens
 * (causally). The batch-1 layer graph (DecoderBlocks) is used unchanged, and each sequence keeps its
 * own {@link LayerKv}, so cache policies still act per sequence.
 *
 * <p>Used for prefills of different lengths: the layer graph's linear layers are 2-D Gemms, so
 * stacked rows cost exactly their own work (no padding). The cost: every query is scored against all
 * stacked columns (masked ones included), so attention grows with the square of the stacked tokens;
 * BatchGenerator caps the stacked tokens and sends decode steps to {@link PaddedLayerRun} instead.
 *
 * <p>Not thread-safe: the stacked cache is built in scratch buffers reused from call to call.
 */
final class RaggedLayerRun {
    /** One sequence's share of a run: n new tokens (hidden rows), their RoPE positions, its cache. */
    record Part(float[] x, int n, long[] positions, int ropeSeqLen, LayerKv kv, int[] probeRows) {
    }

    private final DecoderModel model;
    private FloatBuffer scratchK;
    private FloatBuffer scratchV;

    RaggedLayerRun(DecoderModel model) {
        this.model = model;
    }

    /** One session call for all parts (a single part goes through DecoderModel.runLayer: no stacking copy). */
    LayerOutput[] run(int layer, List<Part> parts) {
        if (parts.size() == 1) {
            Part p = parts.get(0);
            return new LayerOutput[] {model.runLayer(layer, p.x(), p.n(), p.positions(), p.ropeSeqLen(), p.kv(), p.probeRows())};
        }
        DecoderSpec s = model.spec();
        int d = s.hidden();
        int hd = s.headDim();
        int kvh = s.kvHeads();
        int b = parts.size();
        int[] tokOff = new int[b + 1];
        int[] colOff = new int[b + 1];
        int probes = 0;
        for (int i = 0; i < b; i++) {
            Part p = parts.get(i);
            if (p.x().length != p.n() * d || p.positions().length != p.n()) {
                throw new IllegalArgumentException("sequence " + i + ": " + p.n() + " tokens need " + (p.n() * d)
                        + " hidden values and " + p.n() + " positions, got " + p.x().length + " and " + p.positions().length);
            }
            tokOff[i + 1] = tokOff[i] + p.n();
            colOff[i + 1] = colOff[i] + p.kv().maxLength();
            probes += p.probeRows() == null ? 0 : p.probeRows().length;
        }
        int t = tokOff[b];
        // an all-empty batch of caches still gets one (zeroed, masked) column: no zero-sized tensor dims
        int cols = Math.max(1, colOff[b]);
        float[] x = new float[t * d];
        float[] cos = new float[t * hd];
        float[] sin = new float[t * hd];
        long[] rows = new long[Math.max(1, probes)];
        rows[0] = t - 1;
        int r = 0;
        int[][] before = new int[b][kvh];
        for (int i = 0; i < b; i++) {
            Part p = parts.get(i);
            System.arraycopy(p.x(), 0, x, tokOff[i] * d, p.n() * d);
            float[][] cs = s.rope().cosSin(p.positions(), p.ropeSeqLen());
            System.arraycopy(cs[0], 0, cos, tokOff[i] * hd, p.n() * hd);
            System.arraycopy(cs[1], 0, sin, tokOff[i] * hd, p.n() * hd);
            if (p.probeRows() != null) {
                for (int row : p.probeRows()) {
                    if (row < 0 || row >= p.n()) {
                        throw new IllegalArgumentException("sequence " + i + ": probe row " + row + " outside 0.." + (p.n() - 1));
                    }
                    rows[r++] = tokOff[i] + row;
                }
            }
            for (int g = 0; g < kvh; g++) {
                before[i][g] = p.kv().length(g);
            }
        }
        FloatBuffer pk = stack(parts, colOff, cols, true);
        FloatBuffer pv = stack(parts, colOff, cols, false);
        float[] mask = mask(parts, tokOff, colOff, cols, kvh);
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            var env = model.env();
            LayerCall.inputs(in, env, t, d, hd, x, cos, sin, pk, pv, new long[] {kvh, cols, hd}, mask,
                    new long[] {kvh, t, cols + t}, rows);
            Set<String> outs = LayerCall.outputs(probes > 0);
            try (OrtSession.Result res = model.layerSession(layer).run(in, outs)) {
                FloatBuffer y = LayerCall.buffer(res, DecoderBlocks.Y);
                FloatBuffer kNew = LayerCall.buffer(res, DecoderBlocks.K_NEW);
                FloatBuffer vNew = LayerCall.buffer(res, DecoderBlocks.V_NEW);
                FloatBuffer probs = probes > 0 ? LayerCall.buffer(res, DecoderBlocks.PROBS) : null;
                LayerOutput[] out = new LayerOutput[b];
                int probeBase = 0;
                for (int i = 0; i < b; i++) {
                    Part p = parts.get(i);
                    float[] yi = new float[p.n() * d];
                    y.get(tokOff[i] * d, yi);
                    p.kv().append(slice(kNew, kvh, t, tokOff[i], p.n(), hd), slice(vNew, kvh, t, tokOff[i], p.n(), hd),
                            p.n(), p.positions());
                    float[][][] pr = null;
                    if (p.probeRows() != null) {
                        pr = unpad(probs, rows.length, probeBase, p.probeRows().length, cols, t, colOff[i], tokOff[i], p.n(), before[i]);
                        probeBase += p.probeRows().length;
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

    /** Every sequence's live K (or V) entries side by side per KV head: [kvHeads, cols, headDim]. */
    private FloatBuffer stack(List<Part> parts, int[] colOff, int cols, boolean keys) {
        DecoderSpec s = model.spec();
        int hd = s.headDim();
        int kvh = s.kvHeads();
        int need = kvh * cols * hd;
        FloatBuffer scratch = keys ? scratchK : scratchV;
        if (scratch == null || scratch.capacity() < need) {
            scratch = ByteBuffer.allocateDirect(need * 3 / 2 * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            if (keys) {
                scratchK = scratch;
            } else {
                scratchV = scratch;
            }
        }
        FloatBuffer dst = scratch.duplicate().clear();
        if (colOff[parts.size()] == 0) {
            for (int i = 0; i < need; i++) {
                dst.put(i, 0f);
            }
        }
        for (int i = 0; i < parts.size(); i++) {
            LayerKv kv = parts.get(i).kv();
            int w = colOff[i + 1] - colOff[i];
            if (w == 0) {
                continue;
            }
            FloatBuffer src = keys ? kv.keys() : kv.values();
            for (int g = 0; g < kvh; g++) {
                int from = g * kv.capacity() * hd;
                src.limit(from + w * hd).position(from);
                dst.position((g * cols + colOff[i]) * hd);
                dst.put(src);
                src.clear();
            }
        }
        return dst.clear().limit(need);
    }

    /** Block-diagonal additive mask [kvHeads, T, cols + T] (0 = attend, -1e9 = hidden), as LayerKv.mask per block. */
    private static float[] mask(List<Part> parts, int[] tokOff, int[] colOff, int cols, int kvh) {
        int t = tokOff[parts.size()];
        int width = cols + t;
        float[] m = new float[kvh * t * width];
        Arrays.fill(m, -1e9f);
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            for (int g = 0; g < kvh; g++) {
                int len = p.kv().length(g);
                for (int q = 0; q < p.n(); q++) {
                    int row = (g * t + tokOff[i] + q) * width;
                    Arrays.fill(m, row + colOff[i], row + colOff[i] + len, 0f);
                    Arrays.fill(m, row + cols + tokOff[i], row + cols + tokOff[i] + q + 1, 0f);
                }
            }
        }
        return m;
    }

    /** This sequence's rows of k_new/v_new [kvHeads, T, hd] as [kvHeads, n, hd]. */
    private static FloatBuffer slice(FloatBuffer all, int kvh, int t, int from, int n, int hd) {
        float[] out = new float[kvh * n * hd];
        for (int g = 0; g < kvh; g++) {
            all.get((g * t + from) * hd, out, g * n * hd, n * hd);
        }
        return FloatBuffer.wrap(out);
    }

    /** Stacked probs [H, R, cols+T] -> this sequence's [H][rows][len_g + n], as DecoderModel.runLayer returns them. */
    private float[][][] unpad(FloatBuffer p, int allRows, int rowBase, int nRows, int cols, int t, int colOff, int tokOff,
                              int n, int[] before) {
        DecoderSpec s = model.spec();
        int h = s.heads();
        int width = cols + t;
        float[][][] out = new float[h][nRows][];
        for (int head = 0; head < h; head++) {
            int len = before[head / s.groups()];
            for (int row = 0; row < nRows; row++) {
                float[] o = new float[len + n];
                int base = (head * allRows + rowBase + row) * width;
                p.get(base + colOff, o, 0, len);
                p.get(base + cols + tokOff, o, len, n);
                out[head][row] = o;
            }
        }
        return out;
    }

}
