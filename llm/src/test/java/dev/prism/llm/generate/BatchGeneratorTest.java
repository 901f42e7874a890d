package dev.prism.llm.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchGeneratorTest {
    @TempDir
    Path tmp;

    static final long[][] PROMPTS = {
        {1, 30, 31},
        {1, 40, 45, 50, 33, 60, 61},
        {1, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80},
        {1, 90, 91, 92, 93},
        {1, 100, 101, 102, 103, 104, 105, 106, 107},
    };

    private Checkpoint open(String type, boolean tied) throws Exception {
        var dims = new TinyCheckpoints.DecoderDims(type, 32, 4, 2, 64, 3, 128, tied, null);
        return Checkpoint.open(TinyCheckpoints.writeDecoder(tmp.resolve(type), dims, 11, DType.F32, Long.MAX_VALUE));
    }

    private static DecoderModel compile(Checkpoint c) {
        return DecoderModel.compile(new OrtRuntime(RuntimeOptions.threads(1)), c.weights(),
                DecoderSpec.from(c.config(), "model.", "lm_head.weight"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void greedyBatchGivesEachPromptsOwnTokensWithAnEarlyStopTokenAndAdmission(String type) throws Exception {
        try (Checkpoint c = open(type, type.equals("qwen2")); DecoderModel m = compile(c)) {
            Generator solo = new Generator(m, c.tokenizer(), true);
            GenerationOptions o = GenerationOptions.greedy(10);
            long[] free = solo.generate(PROMPTS[1], o, CachePolicy.NONE, TokenListener.NONE).tokens();
            // sequence 1 stops on its third token; the others run to the budget
            GenerationOptions early = o.stopTokens(Set.of(free[2]));
            // sequence 4 stops on the text of its third token
            long[] free4 = solo.generate(PROMPTS[4], o, CachePolicy.NONE, TokenListener.NONE).tokens();
            GenerationOptions word = o.stopStrings(List.of(c.tokenizer().decode(new long[] {free4[2]})));
            List<GenerationOptions> opts = new ArrayList<>();
            List<GenerationResult> expected = new ArrayList<>();
            for (int i = 0; i < PROMPTS.length; i++) {
                GenerationOptions oi = i == 1 ? early : i == 3 ? GenerationOptions.greedy(4) : i == 4 ? word : o;
                opts.add(oi);
                expected.add(solo.generate(PROMPTS[i], oi, CachePolicy.NONE, TokenListener.NONE));
            }
            assertEquals(StopReason.STOP_TOKEN, expected.get(1).stopReason());
            assertTrue(expected.get(1).tokens().length <= 2);
            assertEquals(StopReason.STOP_STRING, expected.get(4).stopReason());
            assertEquals(StopReason.MAX_TOKENS, expected.get(0).stopReason());
            // all stacked; two at a time (admission mixes prefill with decode); prefills of more than 8 tokens alone
            // ... and the same with decode steps stacked ragged instead of through the batch-axis graph
            for (int[] config : new int[][] {{PROMPTS.length, 1000, 1}, {2, 1000, 1}, {PROMPTS.length, 8, 1}, {PROMPTS.length, 1000, 0}}) {
                int maxBatch = config[0];
                List<BatchRequest> reqs = new ArrayList<>();
                for (int i = 0; i < PROMPTS.length; i++) {
                    reqs.add(BatchRequest.of(PROMPTS[i], opts.get(i)));
                }
                BatchGenerator bg = new BatchGenerator(m, c.tokenizer(), true, maxBatch, config[1]);
                List<GenerationResult> got = (config[2] == 1 ? bg : bg.raggedDecode()).generate(reqs);
                for (int i = 0; i < PROMPTS.length; i++) {
                    GenerationResult e = expected.get(i);
                    GenerationResult g = got.get(i);
                    String where = type + " config " + java.util.Arrays.toString(config) + " prompt " + i;
                    assertArrayEquals(e.tokens(), g.tokens(), where);
                    assertEquals(e.stopReason(), g.stopReason(), where);
                    assertEquals(e.text(), g.text(), where);
                    assertEquals(e.kvBytesFinal(), g.kvBytesFinal(), where);
                    assertArrayEquals(e.prefillTokensPerLayer(), g.prefillTokensPerLayer(), where);
                    assertEquals(PROMPTS[i].length, g.promptTokens());
                    assertTrue(g.demo());
                }
            }
        }
    }

    @Test
    void seededSamplingIsReproducibleAndMatchesEachSequenceAlone() throws Exception {
        try (Checkpoint c = open("qwen2", true); DecoderModel m = compile(c)) {
            Generator solo = new Generator(m, c.tokenizer(), true);
            GenerationOptions base = GenerationOptions.greedy(8);
            List<BatchRequest> reqs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                // prompts 0 and 1 are the same: only their seeds differ
                reqs.add(BatchRequest.of(PROMPTS[i == 1 ? 0 : i], base.sampling(1.5, 0.95, 100 + i)));
            }
            BatchGenerator batch = new BatchGenerator(m, c.tokenizer(), true, 4);
            List<GenerationResult> a = batch.generate(reqs);
            List<GenerationResult> b = batch.generate(reqs);
            for (int i = 0; i < reqs.size(); i++) {
                assertArrayEquals(a.get(i).tokens(), b.get(i).tokens(), "rerun of sequence " + i);
                long[] alone = solo.generate(reqs.get(i).ids(), reqs.get(i).options(), CachePolicy.NONE, TokenListener.NONE).tokens();
                assertArrayEquals(alone, a.get(i).tokens(), "sequence " + i + " alone");
            }
            assertNotEquals(List.of(a.get(0).tokens()[0], a.get(0).tokens()[1], a.get(0).tokens()[2]),
                    List.of(a.get(1).tokens()[0], a.get(1).tokens()[1], a.get(1).tokens()[2]),
                    "same prompt, different seeds: different samples at temperature 1.5");
        }
    }

    /** Reads attention (checking it is this sequence's alone), prunes prefill and evicts during decode. */
    private static CachePolicy pruning(List<Double> attentionMass) {
        return new CachePolicy() {
            @Override
            public int[] prefillProbeRows(int layer, int seqLen) {
                return new int[] {0, seqLen - 1};
            }

            @Override
            public void afterPrefillLayer(PrefillLayer l) {
                float[] last = l.probs()[1][1];
                assertEquals(l.seqLen(), last.length);
                attentionMass.add(sum(last));
                assertEquals(0f, l.probs()[0][0][1], "the first token sees only itself");
                if (l.layer() == 0 && l.seqLen() > 4) {
                    int[] keep = new int[l.seqLen() - 2];
                    keep[0] = 0;
                    for (int i = 1; i < keep.length; i++) {
                        keep[i] = i + 2;
                    }
                    l.keepTokens(keep, false);
                }
            }

            @Override
            public boolean probeDecode(int layer) {
                return layer == 2;
            }

            @Override
            public void afterDecodeLayer(int step, int layer, float[][][] probs, LayerKv kv) {
                if (probs != null) {
                    assertEquals(kv.length(0), probs[0][0].length);
                    attentionMass.add(sum(probs[3][0]));
                    if (kv.length(0) > 6) {
                        kv.drop(new int[] {1});
                    }
                }
            }
        };
    }

    @Test
    void perSequencePoliciesSeeOnlyTheirOwnAttentionAndChangeOutputsAsAlone() throws Exception {
        try (Checkpoint c = open("llama", false); DecoderModel m = compile(c)) {
            Generator solo = new Generator(m, c.tokenizer(), true);
            GenerationOptions o = GenerationOptions.greedy(7);
            List<Double> mass = new ArrayList<>();
            List<BatchRequest> reqs = new ArrayList<>();
            List<long[]> expected = new ArrayList<>();
            List<String> streamedExpected = new ArrayList<>();
            List<StringBuilder> streamed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Supplier<CachePolicy> p = () -> pruning(mass);
                GenerationResult alone = solo.generate(PROMPTS[i + 1], o, p.get(), TokenListener.NONE);
                expected.add(alone.tokens());
                streamedExpected.add(alone.text());
                StringBuilder sb = new StringBuilder();
                streamed.add(sb);
                reqs.add(BatchRequest.of(PROMPTS[i + 1], o, p.get(), (id, d) -> sb.append(d)));
            }
            mass.clear();
            List<GenerationResult> got = new BatchGenerator(m, c.tokenizer(), true, 3).generate(reqs);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(expected.get(i), got.get(i).tokens(), "sequence " + i);
                assertEquals(streamedExpected.get(i), got.get(i).text());
                assertEquals(got.get(i).text(), streamed.get(i).toString(), "streamed deltas add up to the text");
            }
            assertTrue(got.get(1).prefillTokensPerLayer()[1] == PROMPTS[2].length - 2, "layer 0 pruned two tokens");
            assertTrue(mass.size() > 10);
            for (double s : mass) {
                assertEquals(1.0, s, 1e-4, "each probed row's attention sums to 1 over its own sequence");
            }
        }
    }

    @Test
    void embeddingsRequestsAndBadInput() throws Exception {
        try (Checkpoint c = open("llama", false); DecoderModel m = compile(c)) {
            long[] alone = new Generator(m, null, true).generate(PROMPTS[2], GenerationOptions.greedy(5), CachePolicy.NONE,
                    TokenListener.NONE).tokens();
            BatchGenerator b = new BatchGenerator(m, null, true, 4);
            List<GenerationResult> got = b.generate(List.of(
                    BatchRequest.ofEmbeddings(m.embed(PROMPTS[2]), PROMPTS[2].length, GenerationOptions.greedy(5), null, null),
                    BatchRequest.of(PROMPTS[0], GenerationOptions.greedy(0))));
            assertArrayEquals(alone, got.get(0).tokens());
            assertEquals(0, got.get(1).tokens().length);
            assertThrows(IllegalArgumentException.class, () -> b.generate(List.of(
                    BatchRequest.ofEmbeddings(new float[7], 2, GenerationOptions.greedy(1), null, null))));
            assertThrows(IllegalArgumentException.class, () -> BatchRequest.of(new long[0], GenerationOptions.greedy(1)));
            assertThrows(IllegalArgumentException.class, () -> new BatchGenerator(m, null, true, 0));
            assertThrows(IllegalArgumentException.class, () -> b.generate(List.of(
                    BatchRequest.of(new long[] {1, 100000}, GenerationOptions.greedy(1)))));
        }
    }

    static double sum(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
