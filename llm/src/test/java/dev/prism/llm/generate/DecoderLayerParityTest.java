package dev.prism.llm.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.llm.checkpoint.Checkpoint;
import dev.prism.llm.checkpoint.DType;
import dev.prism.llm.kv.LayerKv;
import dev.prism.llm.model.DecoderSpec;
import dev.prism.llm.reference.RefDecoderLayer;
import dev.prism.llm.runtime.OrtRuntime;
import dev.prism.llm.runtime.RuntimeOptions;
import dev.prism.llm.testing.TinyCheckpoints;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ONNX decoder layer against the plain-Java reference, fp32, max abs error <= 1e-4. */
class DecoderLayerParityTest {
    static final double TOL = 1e-4;
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} rope={1}")
    @CsvSource({"llama,default", "qwen2,default", "llama,linear", "llama,dynamic", "qwen2,llama3"})
    void layerMatchesReferenceForPrefillAndForDecodeOverACacheWithDroppedEntries(String arch, String rope) throws Exception {
        var dims = TinyCheckpoints.DecoderDims.tiny(arch);
        if (!rope.equals("default")) {
            dims = dims.withRopeScaling(TinyCheckpoints.ropeScaling(rope, 4.0));
        }
        Path dir = TinyCheckpoints.writeDecoder(tmp.resolve("m"), dims, 11, DType.BF16, Long.MAX_VALUE);
        try (Checkpoint c = Checkpoint.open(dir);
             DecoderModel m = DecoderModel.compile(new OrtRuntime(RuntimeOptions.threads(1)), c.weights(),
                     DecoderSpec.from(c.config(), "model.", "lm_head.weight"))) {
            DecoderSpec s = m.spec();
            assertEquals(rope, s.rope().type());
            Function<String, float[]> w = n -> c.weights().get(s.layerPrefix(1) + n).toFloatArray();
            Random rnd = new Random(3);
            int t = 7;
            float[] x = randomRows(rnd, t * s.hidden());
            long[] pos = {0, 1, 2, 3, 4, 5, 6};
            LayerKv kv = new LayerKv(s.kvHeads(), s.headDim());
            int[] probe = {2, 6};
            // a long rope sequence length makes dynamic NTK actually rescale
            int ropeLen = 100;
            LayerOutput got = m.runLayer(1, x, t, pos, ropeLen, kv, probe);
            float[][] cs = s.rope().cosSin(pos, ropeLen);
            var ref = RefDecoderLayer.forward(s, w, x, t, cs[0], cs[1], empty(s), empty(s), probe);
            assertClose(ref.y(), got.hidden(), "prefill hidden");
            for (int g = 0; g < s.kvHeads(); g++) {
                for (int i = 0; i < t; i++) {
                    assertClose(slice(ref.kNew()[g], i, s.headDim()), kv.key(g, i), "k");
                    assertClose(slice(ref.vNew()[g], i, s.headDim()), kv.value(g, i), "v");
                    assertEquals(pos[i], kv.position(g, i));
                }
            }
            assertProbs(ref.probs(), got.probs());

            // ragged cache: head 0 loses entries 1 and 4, head 1 keeps a gathered subset
            kv.drop(0, new int[] {1, 4});
            kv.gather(1, new int[] {0, 2, 3, 6});
            float[][][] pk = cacheK(kv, true);
            float[][][] pv = cacheK(kv, false);
            float[] x2 = randomRows(rnd, 2 * s.hidden());
            long[] pos2 = {7, 8};
            LayerOutput got2 = m.runLayer(1, x2, 2, pos2, ropeLen, kv, new int[] {0, 1});
            float[][] cs2 = s.rope().cosSin(pos2, ropeLen);
            var ref2 = RefDecoderLayer.forward(s, w, x2, 2, cs2[0], cs2[1], pk, pv, new int[] {0, 1});
            assertClose(ref2.y(), got2.hidden(), "decode hidden over dropped cache");
            assertProbs(ref2.probs(), got2.probs());
            assertEquals(7, kv.length(0));
            assertEquals(6, kv.length(1));
        }
    }

    static float[][][] empty(DecoderSpec s) {
        return new float[s.kvHeads()][0][];
    }

    static float[][][] cacheK(LayerKv kv, boolean keys) {
        float[][][] out = new float[kv.kvHeads()][][];
        for (int h = 0; h < kv.kvHeads(); h++) {
            out[h] = new float[kv.length(h)][];
            for (int i = 0; i < kv.length(h); i++) {
                out[h][i] = keys ? kv.key(h, i) : kv.value(h, i);
            }
        }
        return out;
    }

    static float[] randomRows(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static float[] slice(float[] a, int row, int width) {
        float[] o = new float[width];
        System.arraycopy(a, row * width, o, 0, width);
        return o;
    }

    static void assertProbs(float[][][] ref, float[][][] got) {
        assertEquals(ref.length, got.length);
        for (int h = 0; h < ref.length; h++) {
            for (int r = 0; r < ref[h].length; r++) {
                assertClose(ref[h][r], got[h][r], "probs head " + h + " row " + r);
                double sum = 0;
                for (float p : got[h][r]) {
                    sum += p;
                }
                assertEquals(1.0, sum, 1e-4, "probabilities sum to one over the live entries");
            }
        }
    }

    static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + " length");
        double max = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(want[i] - got[i]));
        }
        assertTrue(max <= TOL, what + ": max abs error " + max);
    }
}
