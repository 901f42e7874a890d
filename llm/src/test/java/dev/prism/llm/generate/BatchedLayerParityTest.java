package dev.prism.llm.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prism.llm.checkpoint.Checkpoint;
import dev.prism.llm.checkpoint.DType;
import dev.prism.llm.kv.LayerKv;
import dev.prism.llm.model.DecoderSpec;
import dev.prism.llm.runtime.OrtRuntime;
import dev.prism.llm.runtime.RuntimeOptions;
import dev.prism.llm.testing.TinyCheckpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stacked (ragged) and batch-axis (padded) layer runs against one DecoderModel.runLayer call per sequence. */
class BatchedLayerParityTest {
    @TempDir
    Path tmp;

    /** A layer-1 cache built from a prompt of n tokens through layer 1 alone; head 0 of the middle one loses entries. */
    private static LayerKv cache(DecoderModel m, int seq, int n) {
        DecoderSpec s = m.spec();
        LayerKv kv = new LayerKv(s.kvHeads(), s.headDim());
        float[] x = randomRows(seq, n, s.hidden());
        long[] pos = new long[n];
        for (int i = 0; i < n; i++) {
            pos[i] = i;
        }
        m.runLayer(1, x, n, pos, n, kv, null);
        if (seq == 1) {
            kv.drop(0, new int[] {1, 2});
        }
        return kv;
    }

    private static float[] randomRows(long seed, int n, int d) {
        Random r = new Random(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void paddedDecodeAndRaggedPrefillMatchOneSequenceAtATime() throws Exception {
        var dims = new TinyCheckpoints.DecoderDims("qwen2", 32, 4, 2, 64, 2, 128, true, null);
        try (Checkpoint c = Checkpoint.open(TinyCheckpoints.writeDecoder(tmp.resolve("m"), dims, 3, DType.F32, Long.MAX_VALUE));
             DecoderModel m = DecoderModel.compile(new OrtRuntime(RuntimeOptions.threads(1)), c.weights(),
                     DecoderSpec.from(c.config(), "model.", "lm_head.weight"))) {
            int d = m.spec().hidden();
            int[] cacheLens = {3, 9, 20};
            for (int newTokens : new int[] {1, 4}) {
                List<RaggedLayerRun.Part> batch = new ArrayList<>();
                List<RaggedLayerRun.Part> alone = new ArrayList<>();
                for (int i = 0; i < cacheLens.length; i++) {
                    int n = newTokens == 1 ? 1 : newTokens + i;
                    float[] x = randomRows(100 + i, n, d);
                    long[] pos = new long[n];
                    for (int j = 0; j < n; j++) {
                        pos[j] = cacheLens[i] + j;
                    }
                    int[] probe = i == 1 ? null : new int[] {n - 1};
                    batch.add(new RaggedLayerRun.Part(x, n, pos, cacheLens[i] + n, cache(m, i, cacheLens[i]), probe));
                    alone.add(new RaggedLayerRun.Part(x, n, pos, cacheLens[i] + n, cache(m, i, cacheLens[i]), probe));
                }
                LayerOutput[] got = newTokens == 1 ? new PaddedLayerRun(m).run(1, batch) : new RaggedLayerRun(m).run(1, batch);
                for (int i = 0; i < alone.size(); i++) {
                    RaggedLayerRun.Part a = alone.get(i);
                    LayerOutput want = m.runLayer(1, a.x(), a.n(), a.positions(), a.ropeSeqLen(), a.kv(), a.probeRows());
                    String where = (newTokens == 1 ? "padded" : "ragged") + " sequence " + i;
                    assertClose(want.hidden(), got[i].hidden(), where + " hidden");
                    LayerKv kb = batch.get(i).kv();
                    for (int g = 0; g < m.spec().kvHeads(); g++) {
                        assertEquals(a.kv().length(g), kb.length(g), where + " cache length");
                        for (int e = 0; e < kb.length(g); e++) {
                            assertClose(a.kv().key(g, e), kb.key(g, e), where + " key");
                            assertClose(a.kv().value(g, e), kb.value(g, e), where + " value");
                            assertEquals(a.kv().position(g, e), kb.position(g, e));
                        }
                    }
                    if (a.probeRows() == null) {
                        assertEquals(null, got[i].probs());
                        continue;
                    }
                    for (int h = 0; h < m.spec().heads(); h++) {
                        assertClose(want.probs()[h][0], got[i].probs()[h][0], where + " probs of head " + h);
                    }
                }
            }
        }
    }

    private static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + " length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-5, what + " at " + i);
        }
    }
}
