package dev.prism.llm.pruning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.llm.checkpoint.Checkpoint;
import dev.prism.llm.checkpoint.DType;
import dev.prism.llm.generate.DecoderModel;
import dev.prism.llm.generate.GenerationOptions;
import dev.prism.llm.generate.GenerationResult;
import dev.prism.llm.generate.Generator;
import dev.prism.llm.generate.TokenListener;
import dev.prism.llm.model.DecoderSpec;
import dev.prism.llm.runtime.OrtRuntime;
import dev.prism.llm.runtime.RuntimeOptions;
import dev.prism.llm.testing.TinyCheckpoints;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pruning library driven by the runtime's generation loop on a generated 16-layer GQA decoder. */
class GenerationHooksTest {
    static final int LAYERS = 16;
    static final int KV = 2;
    static final SequenceLayout LAYOUT = new SequenceLayout(4, 60, 12);
    @TempDir
    static Path tmp;
    static Checkpoint ckpt;
    static DecoderModel model;
    static Generator gen;
    static long[] prompt;
    static GenerationResult base;

    @BeforeAll
    static void load() throws Exception {
        var dims = new TinyCheckpoints.DecoderDims("qwen2", 32, 4, KV, 64, LAYERS, 128, true, null);
        ckpt = Checkpoint.open(TinyCheckpoints.writeDecoder(tmp.resolve("lm"), dims, 5, DType.F32, Long.MAX_VALUE));
        model = DecoderModel.compile(new OrtRuntime(RuntimeOptions.threads(1)), ckpt.weights(),
                DecoderSpec.from(ckpt.config(), "model.", "lm_head.weight"));
        gen = new Generator(model, ckpt.tokenizer(), ckpt.isDemo());
        Random rnd = new Random(3);
        prompt = new long[LAYOUT.length()];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = 3 + rnd.nextInt(120);
        }
        base = gen.generate(prompt, GenerationOptions.greedy(12), dev.prism.llm.generate.CachePolicy.NONE,
                TokenListener.NONE);
    }

    @AfterAll
    static void close() {
        model.close();
        ckpt.close();
    }

    @Test
    void settingsThatPruneNothingGenerateTheSameTokensAndCache() {
        MustDropPrefill none = new MustDropPrefill(MustDropPrefill.DEFAULT_LAYERS, MustDropThresholds.NONE, LAYOUT,
                new int[] {1, 2});
        PlphpConfig r1 = new PlphpConfig(0.5, 0.2, 1.0, 0.0, 2, GqaAggregation.SUM, 4, 64);
        CachePolicy policy = new CompositeCachePolicy(List.of(none.outputAwarePolicy(), new PlphpPolicy(r1),
                new ElasticCachePolicy(new ElasticCachePolicy.Config(0.0, 1, 1, -25, false))));
        GenerationResult same = gen.generate(prompt, GenerationOptions.greedy(12), new GenerationHooks(none, policy,
                LAYERS, KV), TokenListener.NONE);
        assertArrayEquals(base.tokens(), same.tokens());
        assertEquals(base.kvBytesFinal(), same.kvBytesFinal());
    }

    @Test
    void allPoliciesTogetherShrinkPrefillAndCache() {
        MustDropPrefill md = new MustDropPrefill(MustDropPrefill.DEFAULT_LAYERS, new DualAttentionFilter(0.01, 0.05),
                LAYOUT, new int[] {1, 2});
        PlphpConfig pc = new PlphpConfig(0.3, 0.1, 0.5, 0.2, 2, GqaAggregation.SUM, 4, 64);
        CachePolicy policy = new CompositeCachePolicy(List.of(md.outputAwarePolicy(), new PlphpPolicy(pc),
                new ElasticCachePolicy(ElasticCachePolicy.Config.defaults())));
        GenerationHooks hooks = new GenerationHooks(md, policy, LAYERS, KV);
        GenerationResult r = gen.generate(prompt, GenerationOptions.greedy(12), hooks, TokenListener.NONE);
        assertEquals(12, r.tokens().length);
        int[] perLayer = r.prefillTokensPerLayer();
        int[] vision = md.visionTokensPerLayer(LAYERS);
        for (int l = 0; l < LAYERS; l++) {
            assertEquals(LAYOUT.system() + vision[l] + LAYOUT.text(), perLayer[l], "layer " + l);
        }
        assertTrue(r.kvBytesAfterPrefill() < 0.8 * base.kvBytesAfterPrefill());
        assertTrue(r.kvBytesFinal() < base.kvBytesFinal());
    }

    @Test
    void h2oAndLocalHoldTheirBudgetInTheLoop() {
        for (CachePolicy p : List.<CachePolicy>of(new H2OCachePolicy(0.3, 1, 1), new LocalWindowCachePolicy(0.3, 1))) {
            GenerationHooks hooks = new GenerationHooks(null, p, LAYERS, KV);
            gen.generate(prompt, GenerationOptions.greedy(12), hooks, TokenListener.NONE);
            int seen = LAYOUT.length() + 11;
            for (int l = 0; l < LAYERS; l++) {
                int n = hooks.layout().length(l, 0);
                assertTrue(n >= 0.7 * seen - 1e-9 && n < 0.7 * seen + 1, p + " layer " + l + ": " + n);
            }
        }
    }
}
