package dev.prism.llm.whisper;

import dev.prism.llm.onnx.GraphBuilder;
import java.util.Map;

/**
 * Whisper graphs built with the same builder as the decoder-only blocks: the convolutional front end
 * with positions, a pre-LayerNorm encoder layer, the encoder's final norm, a cross-attention K/V
 * projection (run once per layer on the encoder output), a decoder layer (causal self-attention over
 * the Java-owned cache, cross-attention, GELU MLP), token + position embedding, and the tied head.
 * Weight names are layer-relative HF names.
 */
public final class WhisperBlocks {
    private WhisperBlocks() {
    }

    private static String linear(GraphBuilder g, String x, String name, long out, long in, boolean bias) {
        String w = g.weight(name + ".weight", out, in);
        return bias ? g.op("Gemm", Map.of("transB", 1), x, w, g.weight(name + ".bias", out))
                : g.op("Gemm", Map.of("transB", 1), x, w);
    }

    private static String layerNorm(GraphBuilder g, String x, String name, long d) {
        return g.op("LayerNormalization", Map.of("axis", -1, "epsilon", 1e-5f), x,
                g.weight(name + ".weight", d), g.weight(name + ".bias", d));
    }

    private static String gelu(GraphBuilder g, String x) {
        String erf = g.op("Erf", g.op("Mul", x, g.scalar((float) (1 / Math.sqrt(2)))));
        return g.op("Mul", g.op("Mul", x, g.scalar(0.5f)), g.op("Add", erf, g.scalar(1f)));
    }

    /** [T, h*hd] -> [h, T, hd]. */
    private static String heads(GraphBuilder g, String x, int h, int hd) {
        return g.op("Transpose", Map.of("perm", new long[] {1, 0, 2}), g.op("Reshape", x, g.ints(-1, h, hd)));
    }

    /** Scaled scores q k^T / sqrt(hd) [h, Tq, Tk] (Whisper's "QKs", before any mask). */
    private static String scores(GraphBuilder g, String q, String k, int hd) {
        q = g.op("Mul", q, g.scalar((float) (1 / Math.sqrt(hd))));
        return g.op("MatMul", q, g.op("Transpose", Map.of("perm", new long[] {0, 2, 1}), k));
    }

    /** softmax(q k^T / sqrt(hd) + mask) v with q,k,v [h, *, hd]; returns [T, h*hd]. */
    private static String attend(GraphBuilder g, String q, String k, String v, String mask, int h, int hd) {
        return attendScores(g, scores(g, q, k, hd), v, mask, h, hd);
    }

    private static String attendScores(GraphBuilder g, String s, String v, String mask, int h, int hd) {
        if (mask != null) {
            s = g.op("Add", s, mask);
        }
        String ctx = g.op("MatMul", g.op("Softmax", Map.of("axis", -1), s), v);
        return g.op("Reshape", g.op("Transpose", Map.of("perm", new long[] {1, 0, 2}), ctx), g.ints(-1, (long) h * hd));
    }

    /** mel [1, mels, frames] -> [frames/2, d]: conv1 + GELU, conv2 (stride 2) + GELU, + positions. */
    public static GraphBuilder encoderFrontEnd(WhisperSpec s, int frames, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("whisper_front", mode);
        int d = s.dModel();
        String mel = g.input("mel", 1, s.mels(), frames);
        String c1 = gelu(g, g.op("Conv", Map.of("kernel_shape", new long[] {3}, "pads", new long[] {1, 1}), mel,
                g.weight("conv1.weight", d, s.mels(), 3), g.weight("conv1.bias", d)));
        String c2 = gelu(g, g.op("Conv", Map.of("kernel_shape", new long[] {3}, "pads", new long[] {1, 1}, "strides", new long[] {2}),
                c1, g.weight("conv2.weight", d, d, 3), g.weight("conv2.bias", d)));
        int t = (frames + 1) / 2;
        String x = g.op("Transpose", Map.of("perm", new long[] {1, 0}), g.op("Reshape", c2, g.ints(d, t)));
        String pos = g.op("Slice", g.weight("embed_positions.weight", s.maxSource(), d), g.intVec(0), g.intVec(t), g.intVec(0));
        g.output(g.op("Add", x, pos), "x", t, d);
        return g;
    }

    public static GraphBuilder encoderLayer(WhisperSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("whisper_encoder_layer", mode);
        int d = s.dModel();
        int h = s.encoderHeads();
        int hd = s.encoderHeadDim();
        String x = g.input("x", "T", d);
        String n = layerNorm(g, x, "self_attn_layer_norm", d);
        String q = heads(g, linear(g, n, "self_attn.q_proj", d, d, true), h, hd);
        String k = heads(g, linear(g, n, "self_attn.k_proj", d, d, false), h, hd);
        String v = heads(g, linear(g, n, "self_attn.v_proj", d, d, true), h, hd);
        String x1 = g.op("Add", x, linear(g, attend(g, q, k, v, null, h, hd), "self_attn.out_proj", d, d, true));
        g.output(mlp(g, x1, d, s.encoderFfn()), "y", "T", d);
        return g;
    }

    private static String mlp(GraphBuilder g, String x, int d, int ffn) {
        String n = layerNorm(g, x, "final_layer_norm", d);
        String f = gelu(g, linear(g, n, "fc1", ffn, d, true));
        return g.op("Add", x, linear(g, f, "fc2", d, ffn, true));
    }

    /** A final LayerNorm named "layer_norm" (encoder output and decoder output). */
    public static GraphBuilder finalNorm(WhisperSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("whisper_norm", mode);
        String x = g.input("x", "T", s.dModel());
        g.output(layerNorm(g, x, "layer_norm", s.dModel()), "y", "T", s.dModel());
        return g;
    }

    /** Encoder output [S, d] -> cross-attention keys and values [h, S, hd] for one decoder layer. */
    public static GraphBuilder crossKv(WhisperSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("whisper_cross_kv", mode);
        int d = s.dModel();
        String enc = g.input("enc", "S", d);
        g.output(heads(g, linear(g, enc, "encoder_attn.k_proj", d, d, false), s.decoderHeads(), s.decoderHeadDim()),
                "cross_k", s.decoderHeads(), "S", s.decoderHeadDim());
        g.output(heads(g, linear(g, enc, "encoder_attn.v_proj", d, d, true), s.decoderHeads(), s.decoderHeadDim()),
                "cross_v", s.decoderHeads(), "S", s.decoderHeadDim());
        return g;
    }

    /**
     * Decoder layer: x [T,d], past_k/past_v [h,P,hd], mask [h,T,P+T] (the LayerKv mask), cross_k/cross_v
     * [h,S,hd] -> y [T,d], k_new/v_new [h,T,hd], and cross_qk [h,T,S]: the scaled cross-attention scores
     * before the softmax, which word alignment re-normalises over the frames that hold audio (fetched only
     * when asked for).
     */
    public static GraphBuilder decoderLayer(WhisperSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("whisper_decoder_layer", mode);
        int d = s.dModel();
        int h = s.decoderHeads();
        int hd = s.decoderHeadDim();
        String x = g.input("x", "T", d);
        String pk = g.input("past_k", h, "P", hd);
        String pv = g.input("past_v", h, "P", hd);
        String mask = g.input("mask", h, "T", "PT");
        String ck = g.input("cross_k", h, "S", hd);
        String cv = g.input("cross_v", h, "S", hd);
        String n = layerNorm(g, x, "self_attn_layer_norm", d);
        String q = heads(g, linear(g, n, "self_attn.q_proj", d, d, true), h, hd);
        String k = heads(g, linear(g, n, "self_attn.k_proj", d, d, false), h, hd);
        String v = heads(g, linear(g, n, "self_attn.v_proj", d, d, true), h, hd);
        String kAll = g.op("Concat", Map.of("axis", 1), pk, k);
        String vAll = g.op("Concat", Map.of("axis", 1), pv, v);
        String x1 = g.op("Add", x, linear(g, attend(g, q, kAll, vAll, mask, h, hd), "self_attn.out_proj", d, d, true));
        String n2 = layerNorm(g, x1, "encoder_attn_layer_norm", d);
        String q2 = heads(g, linear(g, n2, "encoder_attn.q_proj", d, d, true), h, hd);
        String qk = scores(g, q2, ck, hd);
        String x2 = g.op("Add", x1, linear(g, attendScores(g, qk, cv, null, h, hd), "encoder_attn.out_proj", d, d, true));
        g.output(mlp(g, x2, d, s.decoderFfn()), "y", "T", d);
        g.output(qk, "cross_qk", h, "T", "S");
        g.output(k, "k_new", h, "T", hd);
        g.output(v, "v_new", h, "T", hd);
        return g;
    }

    /** ids [T], positions [T] -> token + learned position embedding [T, d]. */
    public static GraphBuilder decoderEmbedding(WhisperSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("whisper_embed", mode);
        String ids = g.inputInt64("ids", "T");
        String pos = g.inputInt64("positions", "T");
        String e = g.op("Gather", Map.of("axis", 0), g.weight("embed_tokens.weight", s.vocab(), s.dModel()), ids);
        String p = g.op("Gather", Map.of("axis", 0), g.weight("embed_positions.weight", s.maxTarget(), s.dModel()), pos);
        g.output(g.op("Add", e, p), "x", "T", s.dModel());
        return g;
    }

    /** Final decoder norm + head tied to the token embedding: h [T,d] -> logits [T,V]. */
    public static GraphBuilder head(WhisperSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("whisper_head", mode);
        String x = g.input("h", "T", s.dModel());
        String n = layerNorm(g, x, "layer_norm", s.dModel());
        g.output(g.op("Gemm", Map.of("transB", 1), n, g.weight("embed_tokens.weight", s.vocab(), s.dModel())),
                "logits", "T", s.vocab());
        return g;
    }
}
