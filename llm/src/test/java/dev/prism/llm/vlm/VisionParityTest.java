package dev.prism.llm.vlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.llm.checkpoint.Checkpoint;
import dev.prism.llm.checkpoint.DType;
import dev.prism.llm.model.VisionSpec;
import dev.prism.llm.onnx.GraphBuilder;
import dev.prism.llm.onnx.ProjectorBlocks;
import dev.prism.llm.reference.RefMath;
import dev.prism.llm.reference.RefVision;
import dev.prism.llm.runtime.OrtRuntime;
import dev.prism.llm.runtime.RuntimeOptions;
import dev.prism.llm.testing.TinyCheckpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vision tower and projector graphs against the plain-Java reference (max abs error <= 1e-4). */
class VisionParityTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"clip", "siglip"})
    void towerLayersAttentionAndPostNormMatchReference(String type) throws Exception {
        Path dir = TinyCheckpoints.writeVisionTower(tmp.resolve(type), TinyCheckpoints.VisionDims.tiny(type), 21);
        OrtRuntime rt = new OrtRuntime(RuntimeOptions.threads(1));
        try (Checkpoint c = Checkpoint.open(dir)) {
            VisionSpec s = VisionSpec.from(c.config(), "vision_model.");
            Function<String, float[]> base = n -> c.weights().get("vision_model." + n).toFloatArray();
            float[] px = random(new Random(1), 3 * s.imageSize() * s.imageSize());
            List<float[]> refLayers = new ArrayList<>();
            float[] x = RefVision.embed(s, base, px);
            List<RefVision.LayerResult> refs = new ArrayList<>();
            for (int l = 0; l < s.layers(); l++) {
                String p = s.layerPrefix(l);
                RefVision.LayerResult r = RefVision.layer(s, n -> c.weights().get(p + n).toFloatArray(), x, s.tokens());
                refs.add(r);
                x = r.y();
                refLayers.add(x);
            }
            float[] refOut = RefMath.layerNorm(x, s.tokens(), s.hidden(), base.apply("post_layernorm.weight"),
                    base.apply("post_layernorm.bias"), s.eps());
            List<VisionLayerState> seen = new ArrayList<>();
            try (VisionTower t = VisionTower.compile(rt, c.weights(), s, s.layers(), true)) {
                float[] out = t.encode(px, new VisionHook() {
                    @Override
                    public boolean wantAttention(int layer) {
                        return true;
                    }

                    @Override
                    public void afterLayer(VisionLayerState st) {
                        seen.add(st);
                    }
                });
                for (int l = 0; l < s.layers(); l++) {
                    close(refLayers.get(l), seen.get(l).tokens(), "layer " + l);
                    close(refs.get(l).mean(), seen.get(l).meanAttention(), "mean attention");
                    for (int h = 0; h < s.heads(); h++) {
                        close(refs.get(l).row0()[h], seen.get(l).firstRowAttention()[h], "row-0 attention");
                    }
                }
                close(refOut, out, "post-norm output");
            }
        }
    }

    @Test
    void projectorsMatchReferenceIncludingPixelShuffleOrder() throws Exception {
        Path dir = TinyCheckpoints.writeIdefics3(tmp.resolve("i3"), TinyCheckpoints.VisionDims.tiny("siglip"),
                TinyCheckpoints.DecoderDims.tiny("llama"), 2, 3, DType.F32, Long.MAX_VALUE);
        Path llava = TinyCheckpoints.writeLlava(tmp.resolve("ll"), TinyCheckpoints.VisionDims.tiny("clip"),
                TinyCheckpoints.DecoderDims.tiny("llama"), 3, DType.F16, Long.MAX_VALUE);
        OrtRuntime rt = new OrtRuntime(RuntimeOptions.threads(1));
        GraphBuilder.WeightMode mode = GraphBuilder.WeightMode.GRAPH_INPUT;
        try (Checkpoint c = Checkpoint.open(dir); Checkpoint l = Checkpoint.open(llava)) {
            float[] x = random(new Random(2), 16 * 24);
            Function<String, float[]> wc = n -> c.weights().get("model.connector." + n).toFloatArray();
            try (Projector p = new Projector(rt, rt.compile(ProjectorBlocks.pixelShuffleLinear(16, 24, 2, 32, mode),
                    n -> c.weights().get("model.connector." + n).toFloat32Direct()), 24, 32)) {
                close(RefVision.pixelShuffleProjector(wc, x, 16, 24, 2, 32), p.project(x), "pixel shuffle");
            }
            Function<String, float[]> wl = n -> l.weights().get("multi_modal_projector." + n).toFloatArray();
            try (Projector p = new Projector(rt, rt.compile(ProjectorBlocks.llavaMlp(24, 32, "gelu", mode),
                    n -> l.weights().get("multi_modal_projector." + n).toFloat32Direct()), 24, 32)) {
                close(RefVision.llavaProjector(wl, x, 16, 24, 32, "gelu"), p.project(x), "llava mlp");
            }
        }
    }

    static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static void close(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        double max = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(want[i] - got[i]));
        }
        assertTrue(max <= 1e-4, what + ": max abs error " + max);
    }
}
