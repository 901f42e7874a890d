package dev.prism.llm.vlm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.prism.llm.checkpoint.Weights;
import dev.prism.llm.model.VisionSpec;
import dev.prism.llm.onnx.GraphBuilder;
import dev.prism.llm.onnx.VisionBlocks;
import dev.prism.llm.runtime.BlockSession;
import dev.prism.llm.runtime.OrtRuntime;
import dev.prism.llm.runtime.RuntimeFailure;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A SigLIP/CLIP tower compiled to per-layer sessions (embeddings, encoder layers, post-norm). */
public final class VisionTower implements AutoCloseable {
    private final VisionSpec spec;
    private final OrtRuntime rt;
    private final BlockSession embeddings;
    private final List<BlockSession> layers = new ArrayList<>();
    private BlockSession postNorm;

    private VisionTower(VisionSpec spec, OrtRuntime rt, BlockSession embeddings) {
        this.spec = spec;
        this.rt = rt;
        this.embeddings = embeddings;
    }

    /** Compiles the first layerCount encoder layers (LLaVA stops before the last one). */
    public static VisionTower compile(OrtRuntime rt, Weights w, VisionSpec s, int layerCount, boolean withPostNorm) {
        GraphBuilder.WeightMode mode = rt.options().weightMode();
        String p = s.weightPrefix();
        VisionTower t = new VisionTower(s, rt, rt.compile(VisionBlocks.embeddingGraph(s, mode),
                n -> w.get(p + n).toFloat32Direct()));
        try {
            GraphBuilder g = VisionBlocks.layerGraph(s, mode);
            for (int i = 0; i < layerCount; i++) {
                String lp = s.layerPrefix(i);
                t.layers.add(rt.compile(g, n -> w.get(lp + n).toFloat32Direct()));
            }
            if (withPostNorm) {
                t.postNorm = rt.compile(VisionBlocks.postNormGraph(s, mode), n -> w.get(p + n).toFloat32Direct());
            }
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    public VisionSpec spec() {
        return spec;
    }

    public int layerCount() {
        return layers.size();
    }

    /** Runs the tower on one normalised image [C*S*S]; returns the token sequence [N*D]. */
    public float[] encode(float[] pixels, VisionHook hook) {
        int s = spec.imageSize();
        if (pixels.length != spec.channels() * s * s) {
            throw new IllegalArgumentException("pixels must be " + spec.channels() + "x" + s + "x" + s + " CHW floats, got "
                    + pixels.length + " values");
        }
        float[] x = run(embeddings, "pixels", pixels, new long[] {1, spec.channels(), s, s}, "tokens");
        for (int l = 0; l < layers.size(); l++) {
            boolean want = hook.wantAttention(l);
            Set<String> outs = new HashSet<>(List.of("y"));
            if (want) {
                outs.add("attn_row0");
                outs.add("attn_mean");
            }
            int n = x.length / spec.hidden();
            try (OnnxTensor in = OnnxTensor.createTensor(rt.env(), FloatBuffer.wrap(x), new long[] {n, spec.hidden()});
                 OrtSession.Result r = layers.get(l).run(Map.of("x", in), outs)) {
                float[] y = floats(r, "y");
                float[][] row0 = null;
                float[] mean = null;
                if (want) {
                    float[] flat = floats(r, "attn_row0");
                    row0 = new float[spec.heads()][n];
                    for (int h = 0; h < spec.heads(); h++) {
                        System.arraycopy(flat, h * n, row0[h], 0, n);
                    }
                    mean = floats(r, "attn_mean");
                }
                VisionLayerState st = new VisionLayerState(l, spec.hidden(), y, row0, mean);
                hook.afterLayer(st);
                x = st.tokens();
            } catch (OrtException e) {
                throw new RuntimeFailure("vision layer " + l + " failed: " + e.getMessage(), e);
            }
        }
        if (postNorm != null) {
            x = run(postNorm, "x", x, new long[] {x.length / spec.hidden(), spec.hidden()}, "y");
        }
        return x;
    }

    private float[] run(BlockSession b, String inName, float[] data, long[] shape, String outName) {
        try (OnnxTensor in = OnnxTensor.createTensor(rt.env(), FloatBuffer.wrap(data), shape);
             OrtSession.Result r = b.run(Map.of(inName, in), Set.of(outName))) {
            return floats(r, outName);
        } catch (OrtException e) {
            throw new RuntimeFailure("vision block failed: " + e.getMessage(), e);
        }
    }

    static float[] floats(OrtSession.Result r, String name) {
        FloatBuffer b = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public void close() {
        layers.forEach(BlockSession::close);
        embeddings.close();
        if (postNorm != null) {
            postNorm.close();
        }
    }
}
