package dev.prism.llm.onnx;

/**
 * Vision-to-text projectors: LLaVA's two-layer MLP with GELU ({@code linear_1}, {@code linear_2}) and
 * Idefics3/SmolVLM's pixel shuffle followed by one bias-free linear ({@code modality_projection.proj}).
 * Input {@code x [N, Dv]}, output {@code y [N', Dt]}.
 */
public final class ProjectorBlocks {
    private ProjectorBlocks() {
    }

    public static GraphBuilder llavaMlp(int visionDim, int textDim, String act, GraphBuilder.WeightMode mode) {
        GraphBuilder g = new GraphBuilder("llava_projector", mode);
        String x = g.input("x", "N", visionDim);
        String h = Nn.activation(g, Nn.linear(g, x, "linear_1.weight", textDim, visionDim, "linear_1.bias"), act);
        g.output(Nn.linear(g, h, "linear_2.weight", textDim, textDim, "linear_2.bias"), "y", "N", textDim);
        return g;
    }

    /**
     * Pixel shuffle (space-to-depth by scale) on a square grid of N tokens, then the projection. The
     * reshape/transpose order is Idefics3Connector.pixel_shuffle's, so tokens come out in the same order.
     */
    public static GraphBuilder pixelShuffleLinear(int tokens, int visionDim, int scale, int textDim, GraphBuilder.WeightMode mode) {
        int side = (int) Math.round(Math.sqrt(tokens));
        if (side * side != tokens || side % scale != 0) {
            throw new IllegalArgumentException("pixel shuffle needs a square grid divisible by scale " + scale
                    + ", got " + tokens + " tokens");
        }
        GraphBuilder g = new GraphBuilder("pixel_shuffle_projector", mode);
        String x = g.input("x", tokens, visionDim);
        long s = scale;
        long perm[] = {1, 0, 2};
        String a = g.op("Reshape", x, g.ints(side, side / s, visionDim * s));
        a = g.op("Transpose", java.util.Map.of("perm", perm), a);
        a = g.op("Reshape", a, g.ints(side / s, side / s, visionDim * s * s));
        a = g.op("Transpose", java.util.Map.of("perm", perm), a);
        a = g.op("Reshape", a, g.ints(tokens / (s * s), visionDim * s * s));
        g.output(Nn.linear(g, a, "modality_projection.proj.weight", textDim, visionDim * s * s, null), "y",
                tokens / (s * s), textDim);
        return g;
    }
}
