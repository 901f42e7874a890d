package dev.prism.llm.onnx;

import dev.prism.llm.model.VisionSpec;
import java.util.Map;

/**
 * Graphs of the SigLIP / CLIP vision tower. Encoder layer I/O (batch 1, N tokens): input {@code x [N,D]};
 * outputs {@code y [N,D]}, {@code attn_row0 [H,N]} (the first query's attention: CLS-to-all for CLIP,
 * used by MustDrop's key set, ALGORITHMS.md 1.1 A2) and {@code attn_mean [N]} (attention each key
 * receives, averaged over heads and queries, for towers without CLS). Ask only for what you need.
 */
public final class VisionBlocks {
    private VisionBlocks() {
    }

    /** Layer weights are relative ("layer_norm1.weight", "self_attn.q_proj.weight", "mlp.fc1.weight"...). */
    public static GraphBuilder layerGraph(VisionSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("vision_layer", mode);
        String x = g.input("x", "N", s.hidden());
        int d = s.hidden();
        int h = s.heads();
        int hd = s.headDim();
        String n1 = Nn.layerNorm(g, x, "layer_norm1", d, s.eps());
        String q = heads(g, Nn.linear(g, n1, "self_attn.q_proj.weight", d, d, "self_attn.q_proj.bias"), h, hd);
        String k = heads(g, Nn.linear(g, n1, "self_attn.k_proj.weight", d, d, "self_attn.k_proj.bias"), h, hd);
        String v = heads(g, Nn.linear(g, n1, "self_attn.v_proj.weight", d, d, "self_attn.v_proj.bias"), h, hd);
        q = g.op("Mul", q, g.scalar((float) (1 / Math.sqrt(hd))));
        String probs = g.op("Softmax", Map.of("axis", -1),
                g.op("MatMul", q, g.op("Transpose", Map.of("perm", new long[] {0, 2, 1}), k)));
        String ctx = g.op("MatMul", probs, v);
        ctx = g.op("Reshape", g.op("Transpose", Map.of("perm", new long[] {1, 0, 2}), ctx), g.ints(-1, d));
        String x1 = g.op("Add", x, Nn.linear(g, ctx, "self_attn.out_proj.weight", d, d, "self_attn.out_proj.bias"));
        String n2 = Nn.layerNorm(g, x1, "layer_norm2", d, s.eps());
        String f1 = Nn.activation(g, Nn.linear(g, n2, "mlp.fc1.weight", s.intermediate(), d, "mlp.fc1.bias"), s.act());
        String y = g.op("Add", x1, Nn.linear(g, f1, "mlp.fc2.weight", d, s.intermediate(), "mlp.fc2.bias"));
        g.output(y, "y", "N", d);
        g.output(g.op("Gather", Map.of("axis", 1), probs, g.ints(0)), "attn_row0", h, "N");
        g.output(g.op("ReduceMean", Map.of("axes", new long[] {0, 1}, "keepdims", 0), probs), "attn_mean", "N");
        return g;
    }

    private static String heads(GraphBuilder g, String x, int h, int hd) {
        return g.op("Transpose", Map.of("perm", new long[] {1, 0, 2}), g.op("Reshape", x, g.ints(-1, h, hd)));
    }

    /**
     * Patch + position embedding: pixels [1,C,S,S] (already normalised) -> tokens [N,D]; CLIP prepends
     * class_embedding and applies pre_layrnorm. Weights are relative to "embeddings." except the pre-norm.
     */
    public static GraphBuilder embeddingGraph(VisionSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("vision_embeddings", mode);
        int d = s.hidden();
        int p = s.patchSize();
        String px = g.input("pixels", 1, s.channels(), s.imageSize(), s.imageSize());
        String w = g.weight("embeddings.patch_embedding.weight", d, s.channels(), p, p);
        Map<String, Object> conv = Map.of("kernel_shape", new long[] {p, p}, "strides", new long[] {p, p});
        String c = s.hasCls() ? g.op("Conv", conv, px, w)
                : g.op("Conv", conv, px, w, g.weight("embeddings.patch_embedding.bias", d));
        String tokens = g.op("Transpose", Map.of("perm", new long[] {1, 0}), g.op("Reshape", c, g.ints(d, s.patches())));
        if (s.hasCls()) {
            String cls = g.op("Reshape", g.weight("embeddings.class_embedding", d), g.ints(1, d));
            tokens = g.op("Concat", Map.of("axis", 0), cls, tokens);
        }
        String pos = g.weight("embeddings.position_embedding.weight", s.tokens(), d);
        String out = g.op("Add", tokens, pos);
        if (s.hasCls()) {
            out = Nn.layerNorm(g, out, "pre_layrnorm", d, s.eps());
        }
        g.output(out, "tokens", s.tokens(), d);
        return g;
    }

    /** The tower's post_layernorm: x [N,D] -> [N,D]. */
    public static GraphBuilder postNormGraph(VisionSpec s, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("vision_post_norm", mode);
        String x = g.input("x", "N", s.hidden());
        g.output(Nn.layerNorm(g, x, "post_layernorm", s.hidden(), s.eps()), "y", "N", s.hidden());
        return g;
    }
}
