package dev.prism.llm.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.llm.checkpoint.Checkpoint;
import dev.prism.llm.checkpoint.DType;
import dev.prism.llm.kv.KvCache;
import dev.prism.llm.model.DecoderSpec;
import dev.prism.llm.reference.RefDecoderModel;
import dev.prism.llm.runtime.OrtRuntime;
import dev.prism.llm.runtime.RuntimeOptions;
import dev.prism.llm.testing.TinyCheckpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {
    @TempDir
    static Path tmp;
    static Checkpoint ckpt;
    static DecoderModel model;
    static Generator gen;
    static final long[] PROMPT = {1, 30, 31, 40, 45, 50, 33};

    @BeforeAll
    static void load() throws Exception {
        var dims = new TinyCheckpoints.DecoderDims("qwen2", 32, 4, 2, 64, 3, 128, true, null);
        ckpt = Checkpoint.open(TinyCheckpoints.writeDecoder(tmp.resolve("lm"), dims, 5, DType.F32, Long.MAX_VALUE));
        model = DecoderModel.compile(new OrtRuntime(RuntimeOptions.threads(1)), ckpt.weights(),
                DecoderSpec.from(ckpt.config(), "model.", "lm_head.weight"));
        gen = new Generator(model, ckpt.tokenizer(), ckpt.isDemo());
    }

    @AfterAll
    static void close() {
        model.close();
        ckpt.close();
    }

    @Test
    void greedyDecodingWithTheCacheMatchesTheCachelessReferenceTokenForToken() {
        GenerationResult r = gen.generate(PROMPT, GenerationOptions.greedy(6), CachePolicy.NONE, TokenListener.NONE);
        assertEquals(6, r.tokens().length);
        assertEquals(StopReason.MAX_TOKENS, r.stopReason());
        Map<String, float[]> memo = new HashMap<>();
        long[] seq = PROMPT;
        for (long tok : r.tokens()) {
            float[] logits = RefDecoderModel.lastLogits(model.spec(),
                    n -> memo.computeIfAbsent(n, k -> ckpt.weights().get(k).toFloatArray()), seq);
            assertEquals(Sampler.argmax(logits), tok, "token after " + Arrays.toString(seq));
            seq = Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = tok;
        }
        assertTrue(r.demo());
        assertEquals(3 * (PROMPT.length + 5) * 2 * 2 * 8 * 4, r.kvBytesFinal(), "3 layers x entries x K,V x 2 heads x 8 dims x 4 bytes");
    }

    @Test
    void samplingIsReproducibleBySeedAndTinyTopPIsGreedy() {
        GenerationOptions o = GenerationOptions.greedy(8).sampling(1.5, 0.95, 42);
        long[] a = gen.generate(PROMPT, o, CachePolicy.NONE, TokenListener.NONE).tokens();
        long[] b = gen.generate(PROMPT, o, CachePolicy.NONE, TokenListener.NONE).tokens();
        assertArrayEquals(a, b);
        boolean differs = false;
        for (long seed = 1; seed < 6 && !differs; seed++) {
            differs = !Arrays.equals(a, gen.generate(PROMPT, o.sampling(1.5, 0.95, seed), CachePolicy.NONE, TokenListener.NONE).tokens());
        }
        assertTrue(differs, "different seeds should give different samples at temperature 1.5");
        long[] greedy = gen.generate(PROMPT, GenerationOptions.greedy(8), CachePolicy.NONE, TokenListener.NONE).tokens();
        assertArrayEquals(greedy, gen.generate(PROMPT, o.sampling(1.0, 1e-6, 9), CachePolicy.NONE, TokenListener.NONE).tokens());
    }

    @Test
    void stopTokenStopStringAndStreamingAgree() {
        long[] greedy = gen.generate(PROMPT, GenerationOptions.greedy(8), CachePolicy.NONE, TokenListener.NONE).tokens();
        GenerationResult st = gen.generate(PROMPT, GenerationOptions.greedy(8).stopTokens(Set.of(greedy[3])),
                CachePolicy.NONE, TokenListener.NONE);
        assertEquals(StopReason.STOP_TOKEN, st.stopReason());
        assertTrue(st.tokens().length <= 3);
        StringBuilder streamed = new StringBuilder();
        List<Long> ids = new ArrayList<>();
        GenerationResult full = gen.generate(PROMPT, GenerationOptions.greedy(8), CachePolicy.NONE, (id, d) -> {
            ids.add(id);
            streamed.append(d);
        });
        assertEquals(full.text(), streamed.toString());
        assertEquals(8, ids.size());
        String word = ckpt.tokenizer().decode(new long[] {greedy[2]});
        GenerationResult ss = gen.generate(PROMPT, GenerationOptions.greedy(8).stopStrings(List.of(word)),
                CachePolicy.NONE, TokenListener.NONE);
        assertEquals(StopReason.STOP_STRING, ss.stopReason());
        assertTrue(!ss.text().contains(word) && full.text().startsWith(ss.text()), ss.text() + " / " + full.text());
        assertThrows(IllegalArgumentException.class, () -> GenerationOptions.greedy(4).sampling(1, 0, 1));
    }

    @Test
    void policyHooksSeeAttentionCanShortenPrefillAndEvictDuringDecode() {
        List<Integer> probedLayers = new ArrayList<>();
        CachePolicy identity = new CachePolicy() {
            @Override
            public int[] prefillProbeRows(int layer, int seqLen) {
                return new int[] {seqLen - 1};
            }

            @Override
            public void afterPrefillLayer(PrefillLayer l) {
                probedLayers.add(l.layer());
                assertEquals(1.0, sum(l.probs()[0][0]), 1e-4);
                assertEquals(l.seqLen(), l.probs()[0][0].length);
            }
        };
        long[] plain = gen.generate(PROMPT, GenerationOptions.greedy(5), CachePolicy.NONE, TokenListener.NONE).tokens();
        assertArrayEquals(plain, gen.generate(PROMPT, GenerationOptions.greedy(5), identity, TokenListener.NONE).tokens(),
                "a policy that only reads must not change the output");
        assertEquals(List.of(0, 1, 2), probedLayers);

        List<Integer> decodeProbeLengths = new ArrayList<>();
        CachePolicy decodeProbe = new CachePolicy() {
            @Override
            public boolean probeDecode(int layer) {
                return layer == 1;
            }

            @Override
            public void afterDecodeLayer(int step, int layer, float[][][] probs, dev.prism.llm.kv.LayerKv kv) {
                assertEquals(layer == 1, probs != null);
                if (probs != null) {
                    assertEquals(kv.length(0), probs[0][0].length, "decode attention covers the whole cache, new token last");
                    assertEquals(1.0, sum(probs[3][0]), 1e-4);
                    decodeProbeLengths.add(probs[0][0].length);
                }
            }
        };
        gen.generate(PROMPT, GenerationOptions.greedy(4), decodeProbe, TokenListener.NONE);
        assertEquals(List.of(8, 9, 10), decodeProbeLengths);

        int[] evictions = {0};
        CachePolicy pruning = new CachePolicy() {
            @Override
            public void afterPrefillLayer(PrefillLayer l) {
                if (l.layer() == 0) {
                    l.keepTokens(new int[] {0, 1, 4, 5, 6}, true);
                }
            }

            @Override
            public void afterDecodeStep(int step, KvCache cache, long seen) {
                cache.layer(2).drop(0, new int[] {1});
                evictions[0]++;
            }
        };
        GenerationResult r = gen.generate(PROMPT, GenerationOptions.greedy(4).positions(PositionPolicy.OWN_CACHE_LENGTH),
                pruning, TokenListener.NONE);
        assertArrayEquals(new int[] {7, 5, 5}, r.prefillTokensPerLayer());
        assertEquals(3, evictions[0]);
        assertTrue(r.prefillFlops() < gen.generate(PROMPT, GenerationOptions.greedy(1), CachePolicy.NONE, TokenListener.NONE).prefillFlops());
        long full = 3L * (7 + 3) * 2 * 2 * 8 * 4;
        long expect = full - 2L * 2 * (2 * 2 * 8 * 4) - 3L * (2 * 8 * 4);
        assertEquals(expect, r.kvBytesFinal(), "two layers hold 2 fewer prompt entries; layer 2 head 0 lost 3");
    }

    static double sum(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }

    @Test
    void externalInitializerModeComputesTheSameTokensAsGraphInputMode() {
        long[] inputs = gen.generate(PROMPT, GenerationOptions.greedy(5), CachePolicy.NONE, TokenListener.NONE).tokens();
        RuntimeOptions ext = RuntimeOptions.threads(1).withWeightMode(dev.prism.llm.onnx.GraphBuilder.WeightMode.EXTERNAL_INITIALIZER);
        try (DecoderModel m = DecoderModel.compile(new OrtRuntime(ext), ckpt.weights(), model.spec())) {
            float[] a = model.logits(model.embed(new long[] {5}));
            float[] b = m.logits(m.embed(new long[] {5}));
            assertArrayEquals(a, b, 1e-6f);
            assertArrayEquals(inputs, new Generator(m, null, true).generate(PROMPT, GenerationOptions.greedy(5),
                    CachePolicy.NONE, TokenListener.NONE).tokens());
        }
    }
}
