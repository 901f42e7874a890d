package dev.prism.audio.codec;

import dev.prism.llm.onnx.GraphBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * Writes a tiny deterministic semantic teacher with HuBERT's I/O contract (DEMO WEIGHTS, seeded,
 * untrained): {@code input_values [1, T]} -> a conv feature extractor with HuBERT's overall
 * receptive field 400 and stride 320 -> GELU -> {@code hidden_states_0 [1, frames, dim]}, then
 * {@code layers} pre-norm residual MLP blocks (LayerNorm, Linear, GELU, Linear) each exported as
 * {@code hidden_states_i}. The blocks are frame-local (no attention), so X-Codec's chunked encoding
 * is exact with it; a real teacher's global attention makes chunked encoding an approximation
 * (see XCodec).
 */
public final class TinySemanticNet {
    private TinySemanticNet() {
    }

    public static Path write(Path file, int dim, int layers, long seed) throws IOException {
        Random rnd = new Random(seed);
        GraphBuilder g = new GraphBuilder("tiny_semantic_teacher", GraphBuilder.WeightMode.GRAPH_INPUT);
        String x = g.input("input_values", 1L, "T");
        String w3 = g.op("Unsqueeze", x, g.intVec(1));
        String conv = g.op("Conv", Map.of("kernel_shape", new long[] {400}, "strides", new long[] {320}), w3,
                TinyCodecNets.constant(g, rnd, new long[] {dim, 1, 400}, Math.sqrt(3.0 / 400) * 4),
                TinyCodecNets.constant(g, rnd, new long[] {dim}, 0.1));
        String h = g.op("Transpose", Map.of("perm", new long[] {0, 2, 1}), gelu(g, conv));
        g.output(h, "hidden_states_0", 1L, "F", (long) dim);
        int ff = 2 * dim;
        for (int l = 1; l <= layers; l++) {
            String n = g.op("LayerNormalization", Map.of("axis", -1, "epsilon", 1e-5f), h,
                    TinyCodecNets.constant(g, rnd, new long[] {dim}, 1.0), TinyCodecNets.constant(g, rnd, new long[] {dim}, 0.1));
            String a = gelu(g, g.op("Add", g.op("MatMul", n, TinyCodecNets.constant(g, rnd, new long[] {dim, ff},
                    Math.sqrt(3.0 / dim))), TinyCodecNets.constant(g, rnd, new long[] {ff}, 0.1)));
            String b = g.op("MatMul", a, TinyCodecNets.constant(g, rnd, new long[] {ff, dim}, Math.sqrt(3.0 / ff)));
            h = g.op("Add", h, b);
            g.output(h, "hidden_states_" + l, 1L, "F", (long) dim);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, g.toModelBytes());
        return file;
    }

    private static String gelu(GraphBuilder g, String x) {
        String erf = g.op("Erf", g.op("Mul", x, g.scalar((float) (1 / Math.sqrt(2)))));
        return g.op("Mul", g.op("Mul", x, g.scalar(0.5f)), g.op("Add", erf, g.scalar(1f)));
    }
}
