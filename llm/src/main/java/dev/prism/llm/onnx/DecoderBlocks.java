package dev.prism.llm.onnx;

import dev.prism.llm.model.DecoderSpec;
import java.util.Map;

/**
 * Graphs of the Llama / Qwen2 decoder: one decoder layer, token embedding, final norm + LM head.
 *
 * <p>Decoder layer I/O (batch 1; T new tokens, P cached entries per KV head, padded; R probe rows):
 * inputs {@code x [T,D]}, {@code cos, sin [T,hd]}, {@code past_k, past_v [KvH,P,hd]},
 * {@code mask [KvH,T,P+T]} (additive: 0 keeps, -1e9 hides padding, dropped entries and the future),
 * {@code probe_rows [R]} int64; outputs {@code y [T,D]}, {@code k_new, v_new [KvH,T,hd]} (this step's
 * entries, after RoPE, for the Java-owned cache) and {@code probs [H,R,P+T]} (softmax attention of the
 * probed query rows: what MustDrop/PLPHP/Elastic Cache read, ALGORITHMS.md 1.4, 2.4, 3.6).
 */
public final class DecoderBlocks {
    public static final String X = "x";
    public static final String COS = "cos";
    public static final String SIN = "sin";
    public static final String PAST_K = "past_k";
    public static final String PAST_V = "past_v";
    public static final String MASK = "mask";
    public static final String PROBE_ROWS = "probe_rows";
    public static final String Y = "y";
    public static final String K_NEW = "k_new";
    public static final String V_NEW = "v_new";
    public static final String PROBS = "probs";

    private DecoderBlocks() {
    }

    /** A graph holding one decoder layer; weight names are relative to the layer ("self_attn.q_proj.weight"). */
    public static GraphBuilder layerGraph(DecoderSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("decoder_layer", mode);
        String x = g.input(X, "T", s.hidden());
        String cos = g.input(COS, "T", s.headDim());
        String sin = g.input(SIN, "T", s.headDim());
        String pk = g.input(PAST_K, s.kvHeads(), "P", s.headDim());
        String pv = g.input(PAST_V, s.kvHeads(), "P", s.headDim());
        String mask = g.input(MASK, s.kvHeads(), "T", "PT");
        String rows = g.inputInt64(PROBE_ROWS, "R");
        String[] out = layer(g, s, "", x, cos, sin, pk, pv, mask, rows, true);
        g.output(out[0], Y, "T", s.hidden());
        g.output(out[1], K_NEW, s.kvHeads(), "T", s.headDim());
        g.output(out[2], V_NEW, s.kvHeads(), "T", s.headDim());
        g.output(out[3], PROBS, s.heads(), "R", "PT");
        return g;
    }

    /**
     * Emits one decoder layer into g; weights are named {@code wp + "self_attn.q_proj.weight"} etc.
     * Returns {y, k_new, v_new, probs} (probs null unless withProbs).
     */
    public static String[] layer(GraphBuilder g, DecoderSpec s, String wp, String x, String cos, String sin,
                                 String pastK, String pastV, String mask, String probeRows, boolean withProbs) {
        int d = s.hidden();
        int hd = s.headDim();
        int h = s.heads();
        int kvh = s.kvHeads();
        String normed = Nn.rmsNorm(g, x, wp + "input_layernorm.weight", d, s.rmsEps());
        String q = Nn.linear(g, normed, wp + "self_attn.q_proj.weight", (long) h * hd, d, s.qkvBias() ? wp + "self_attn.q_proj.bias" : null);
        String k = Nn.linear(g, normed, wp + "self_attn.k_proj.weight", (long) kvh * hd, d, s.qkvBias() ? wp + "self_attn.k_proj.bias" : null);
        String v = Nn.linear(g, normed, wp + "self_attn.v_proj.weight", (long) kvh * hd, d, s.qkvBias() ? wp + "self_attn.v_proj.bias" : null);
        q = headsFirst(g, q, h, hd);
        k = headsFirst(g, k, kvh, hd);
        v = headsFirst(g, v, kvh, hd);
        q = rope(g, q, cos, sin, hd);
        k = rope(g, k, cos, sin, hd);
        q = g.op("Mul", q, g.scalar((float) (1 / Math.sqrt(hd))));
        String q4 = g.op("Reshape", q, g.ints(kvh, s.groups(), -1, hd));
        String kAll = g.op("Concat", Map.of("axis", 1), pastK, k);
        String vAll = g.op("Concat", Map.of("axis", 1), pastV, v);
        String kT = g.op("Unsqueeze", g.op("Transpose", Map.of("perm", new long[] {0, 2, 1}), kAll), g.intVec(1));
        String scores = g.op("Add", g.op("MatMul", q4, kT), g.op("Unsqueeze", mask, g.intVec(1)));
        String probs = g.op("Softmax", Map.of("axis", -1), scores);
        String ctx = g.op("MatMul", probs, g.op("Unsqueeze", vAll, g.intVec(1)));
        ctx = g.op("Reshape", ctx, g.ints(h, -1, hd));
        ctx = g.op("Reshape", g.op("Transpose", Map.of("perm", new long[] {1, 0, 2}), ctx), g.ints(-1, (long) h * hd));
        String y = outputAndMlp(g, s, wp, x, ctx);
        if (!withProbs) {
            return new String[] {y, k, v, null};
        }
        String picked = g.op("Gather", Map.of("axis", 2), probs, probeRows);
        String tail = g.op("Shape", Map.of("start", 2), picked);
        String probsOut = g.op("Reshape", picked, g.op("Concat", Map.of("axis", 0), g.intVec(h), tail));
        return new String[] {y, k, v, probsOut};
    }

    /** o_proj of the attention context [rows, H*hd], residual, post-attention RMSNorm, SwiGLU MLP, residual. */
    private static String outputAndMlp(GraphBuilder g, DecoderSpec s, String wp, String x, String ctx) {
        int d = s.hidden();
        String attnOut = Nn.linear(g, ctx, wp + "self_attn.o_proj.weight", d, (long) s.heads() * s.headDim(), null);
        String x1 = g.op("Add", x, attnOut);
        String n2 = Nn.rmsNorm(g, x1, wp + "post_attention_layernorm.weight", d, s.rmsEps());
        String gate = Nn.linear(g, n2, wp + "mlp.gate_proj.weight", s.intermediate(), d, null);
        String up = Nn.linear(g, n2, wp + "mlp.up_proj.weight", s.intermediate(), d, null);
        String act = g.op("Mul", Nn.activation(g, gate, "silu"), up);
        String down = Nn.linear(g, act, wp + "mlp.down_proj.weight", d, s.intermediate(), null);
        return g.op("Add", x1, down);
    }

    /**
     * The decoder layer with a batch axis, for B sequences of T (padded) new tokens each: inputs
     * {@code x [B*T,D]} and {@code cos, sin [B*T,hd]} (rows sequence-major), {@code past_k, past_v
     * [B,KvH,P,hd]} (each sequence's cache padded to P), {@code mask [B,KvH,T,P+T]}, {@code probe_rows
     * [R]} (indices into the B*T rows); outputs {@code y [B*T,D]}, {@code k_new, v_new [B,KvH,T,hd]},
     * {@code probs [H,R,P+T]}. The linear layers see B*T rows as in the batch-1 graph; only attention
     * is per sequence, so each query is scored against its own cache only.
     */
    public static GraphBuilder batchedLayerGraph(DecoderSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("decoder_layer_batched", mode);
        int d = s.hidden();
        int hd = s.headDim();
        int h = s.heads();
        int kvh = s.kvHeads();
        String x = g.input(X, "BT", d);
        String cos = g.input(COS, "BT", hd);
        String sin = g.input(SIN, "BT", hd);
        String pk = g.input(PAST_K, "B", kvh, "P", hd);
        String pv = g.input(PAST_V, "B", kvh, "P", hd);
        String mask = g.input(MASK, "B", kvh, "T", "PT");
        String rows = g.inputInt64(PROBE_ROWS, "R");
        String t = g.op("Shape", Map.of("start", 2, "end", 3), mask);
        String normed = Nn.rmsNorm(g, x, "input_layernorm.weight", d, s.rmsEps());
        String q = Nn.linear(g, normed, "self_attn.q_proj.weight", (long) h * hd, d, s.qkvBias() ? "self_attn.q_proj.bias" : null);
        String k = Nn.linear(g, normed, "self_attn.k_proj.weight", (long) kvh * hd, d, s.qkvBias() ? "self_attn.k_proj.bias" : null);
        String v = Nn.linear(g, normed, "self_attn.v_proj.weight", (long) kvh * hd, d, s.qkvBias() ? "self_attn.v_proj.bias" : null);
        String rope4 = g.op("Concat", Map.of("axis", 0), g.intVec(-1, 1), t, g.intVec(hd));
        String c4 = g.op("Reshape", cos, rope4);
        String s4 = g.op("Reshape", sin, rope4);
        q = rope(g, batchHeadsFirst(g, q, t, h, hd), c4, s4, hd);
        k = rope(g, batchHeadsFirst(g, k, t, kvh, hd), c4, s4, hd);
        v = batchHeadsFirst(g, v, t, kvh, hd);
        q = g.op("Mul", q, g.scalar((float) (1 / Math.sqrt(hd))));
        String q5 = g.op("Reshape", q, g.op("Concat", Map.of("axis", 0), g.intVec(-1, kvh, s.groups()), t, g.intVec(hd)));
        String kAll = g.op("Concat", Map.of("axis", 2), pk, k);
        String vAll = g.op("Concat", Map.of("axis", 2), pv, v);
        String kT = g.op("Unsqueeze", g.op("Transpose", Map.of("perm", new long[] {0, 1, 3, 2}), kAll), g.intVec(2));
        String scores = g.op("Add", g.op("MatMul", q5, kT), g.op("Unsqueeze", mask, g.intVec(2)));
        String probs = g.op("Softmax", Map.of("axis", -1), scores);
        String ctx = g.op("MatMul", probs, g.op("Unsqueeze", vAll, g.intVec(2)));
        ctx = g.op("Reshape", ctx, g.ints(0, h, -1, hd));
        ctx = g.op("Reshape", g.op("Transpose", Map.of("perm", new long[] {0, 2, 1, 3}), ctx), g.ints(-1, (long) h * hd));
        g.output(outputAndMlp(g, s, "", x, ctx), Y, "BT", d);
        g.output(k, K_NEW, "B", kvh, "T", hd);
        g.output(v, V_NEW, "B", kvh, "T", hd);
        String perRow = g.op("Transpose", Map.of("perm", new long[] {0, 3, 1, 2, 4}), probs);
        perRow = g.op("Reshape", perRow, g.op("Concat", Map.of("axis", 0), g.intVec(-1, h), g.op("Shape", Map.of("start", 4), probs)));
        String picked = g.op("Transpose", Map.of("perm", new long[] {1, 0, 2}), g.op("Gather", Map.of("axis", 0), perRow, rows));
        g.output(picked, PROBS, h, "R", "PT");
        return g;
    }

    /** [B*T, n*hd] -> [B, n, T, hd] (t: the 1-D shape tensor holding T). */
    private static String batchHeadsFirst(GraphBuilder g, String x, String t, int n, int hd) {
        String shape = g.op("Concat", Map.of("axis", 0), g.intVec(-1), t, g.intVec(n, hd));
        return g.op("Transpose", Map.of("perm", new long[] {0, 2, 1, 3}), g.op("Reshape", x, shape));
    }

    /** [T, n*hd] -> [n, T, hd]. */
    private static String headsFirst(GraphBuilder g, String x, int n, int hd) {
        return g.op("Transpose", Map.of("perm", new long[] {1, 0, 2}), g.op("Reshape", x, g.ints(-1, n, hd)));
    }

    /** x*cos + rotate_half(x)*sin with rotate_half(x) = [-x2, x1] (HF convention). */
    static String rope(GraphBuilder g, String x, String cos, String sin, int hd) {
        String[] halves = g.opN("Split", 2, Map.of("axis", -1), x);
        String rot = g.op("Concat", Map.of("axis", -1), g.op("Neg", halves[1]), halves[0]);
        return g.op("Add", g.op("Mul", x, cos), g.op("Mul", rot, sin));
    }

    /** Token embedding: ids [T] int64 -> [T, D]; weight "embed_tokens.weight". */
    public static GraphBuilder embeddingGraph(DecoderSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("embedding", mode);
        String ids = g.inputInt64("ids", "T");
        String e = g.op("Gather", Map.of("axis", 0), g.weight("embed_tokens.weight", s.vocab(), s.hidden()), ids);
        g.output(e, "embeds", "T", s.hidden());
        return g;
    }

    /** Final RMSNorm + LM head: h [T, D] -> logits [T, V]; weights "norm.weight", "lm_head.weight". */
    public static GraphBuilder headGraph(DecoderSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("lm_head", mode);
        String h = g.input("h", "T", s.hidden());
        g.output(head(g, s, "", h), "logits", "T", s.vocab());
        return g;
    }

    static String head(GraphBuilder g, DecoderSpec s, String wp, String h) {
        String n = Nn.rmsNorm(g, h, wp + "norm.weight", s.hidden(), s.rmsEps());
        return Nn.linear(g, n, wp + "lm_head.weight", s.vocab(), s.hidden(), null);
    }

    /**
     * The whole decoder in one graph (embedding, every layer, final norm, LM head), with full checkpoint
     * weight names. The baseline the runtime benchmark compares per-layer sessions with; inputs
     * {@code ids [T]}, {@code cos}, {@code sin}, and per layer {@code past_k_i, past_v_i, mask_i};
     * outputs {@code logits [T,V]} and {@code k_new_i, v_new_i}.
     */
    public static GraphBuilder wholeModelGraph(DecoderSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("decoder_whole", mode);
        String ids = g.inputInt64("ids", "T");
        String cos = g.input(COS, "T", s.headDim());
        String sin = g.input(SIN, "T", s.headDim());
        String x = g.op("Gather", Map.of("axis", 0), g.weight(s.weightPrefix() + "embed_tokens.weight", s.vocab(), s.hidden()), ids);
        for (int l = 0; l < s.layers(); l++) {
            String pk = g.input(PAST_K + "_" + l, s.kvHeads(), "P" + l, s.headDim());
            String pv = g.input(PAST_V + "_" + l, s.kvHeads(), "P" + l, s.headDim());
            String mask = g.input(MASK + "_" + l, s.kvHeads(), "T", "PT" + l);
            String[] out = layer(g, s, s.layerPrefix(l), x, cos, sin, pk, pv, mask, null, false);
            g.output(out[1], K_NEW + "_" + l, s.kvHeads(), "T", s.headDim());
            g.output(out[2], V_NEW + "_" + l, s.kvHeads(), "T", s.headDim());
            x = out[0];
        }
        String n = Nn.rmsNorm(g, x, s.weightPrefix() + "norm.weight", s.hidden(), s.rmsEps());
        g.output(Nn.linear(g, n, s.lmHeadName(), s.vocab(), s.hidden(), null), "logits", "T", s.vocab());
        return g;
    }
}
