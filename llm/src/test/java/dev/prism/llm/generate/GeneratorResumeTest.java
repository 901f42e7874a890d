package dev.prism.llm.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prism.llm.checkpoint.Checkpoint;
import dev.prism.llm.checkpoint.DType;
import dev.prism.llm.kv.KvCache;
import dev.prism.llm.model.DecoderSpec;
import dev.prism.llm.runtime.OrtRuntime;
import dev.prism.llm.runtime.RuntimeOptions;
import dev.prism.llm.testing.TinyCheckpoints;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resuming generation from an external cache gives the same tokens as generating in one go. */
class GeneratorResumeTest {
    @TempDir
    static Path tmp;
    static Checkpoint ckpt;
    static DecoderModel model;
    static Generator gen;
    static final long[] CONTEXT = {1, 30, 31, 40, 45, 50, 33};
    static final long[] TURN = {41, 42, 36};

    @BeforeAll
    static void load() throws Exception {
        var dims = new TinyCheckpoints.DecoderDims("llama", 32, 4, 2, 64, 3, 128, false, null);
        ckpt = Checkpoint.open(TinyCheckpoints.writeDecoder(tmp.resolve("lm"), dims, 9, DType.F32, Long.MAX_VALUE));
        model = DecoderModel.compile(new OrtRuntime(RuntimeOptions.threads(1)), ckpt.weights(),
                DecoderSpec.from(ckpt.config(), "model.", "lm_head.weight"));
        gen = new Generator(model, ckpt.tokenizer(), ckpt.isDemo());
    }

    @AfterAll
    static void close() {
        model.close();
        ckpt.close();
    }

    static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static ResumeState empty() {
        DecoderSpec s = model.spec();
        return new ResumeState(new KvCache(s.layers(), s.kvHeads(), s.headDim()), 0, 0);
    }

    @Test
    void resumingFromAnEmptyCacheIsThePlainGenerationBitForBit() {
        long[] all = concat(CONTEXT, TURN);
        GenerationResult plain = gen.generate(all, GenerationOptions.greedy(8), CachePolicy.NONE, TokenListener.NONE);
        ResumeState s = empty();
        GenerationResult resumed = gen.generate(s, all, GenerationOptions.greedy(8), CachePolicy.NONE,
                TokenListener.NONE);
        assertArrayEquals(plain.tokens(), resumed.tokens());
        assertEquals(plain.text(), resumed.text());
        assertEquals(plain.kvBytesFinal(), resumed.kvBytesFinal());
        assertEquals(all.length + 7, s.nextPosition(), "the last sampled token is not fed");
        assertEquals(7, s.steps());
    }

    @Test
    void resumingAfterTheContextMatchesGeneratingFromContextAndTurnTogether() {
        GenerationResult together = gen.generate(concat(CONTEXT, TURN), GenerationOptions.greedy(8), CachePolicy.NONE,
                TokenListener.NONE);
        ResumeState s = empty();
        float[] afterContext = gen.feed(s, CONTEXT, PositionPolicy.NEXT_ABSOLUTE);
        assertEquals(model.spec().vocab(), afterContext.length);
        assertEquals(CONTEXT.length, s.nextPosition());
        GenerationResult resumed = gen.generate(s, TURN, GenerationOptions.greedy(8), CachePolicy.NONE,
                TokenListener.NONE);
        assertArrayEquals(together.tokens(), resumed.tokens(), "feeding in two chunks continues the same conversation");
        assertEquals(TURN.length, resumed.promptTokens());
        // one step at a time reproduces the generator's own loop
        ResumeState t = empty();
        float[] logits = gen.feed(t, concat(CONTEXT, TURN), PositionPolicy.NEXT_ABSOLUTE);
        for (int i = 0; i < together.tokens().length; i++) {
            long best = 0;
            for (int v = 1; v < logits.length; v++) {
                best = logits[v] > logits[(int) best] ? v : best;
            }
            assertEquals(together.tokens()[i], best, "step " + i);
            logits = gen.step(t, best, PositionPolicy.NEXT_ABSOLUTE, CachePolicy.NONE);
        }
        assertThrows(IllegalArgumentException.class, () -> gen.feed(empty(), new long[0], PositionPolicy.NEXT_ABSOLUTE));
    }
}
