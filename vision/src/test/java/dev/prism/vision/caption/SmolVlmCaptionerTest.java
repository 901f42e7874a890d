package dev.prism.vision.caption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.llm.generate.CachePolicy;
import dev.prism.llm.generate.GenerationOptions;
import dev.prism.llm.generate.GenerationResult;
import dev.prism.llm.generate.TokenListener;
import dev.prism.llm.pruning.ElasticCachePolicy;
import dev.prism.llm.pruning.GqaAggregation;
import dev.prism.llm.pruning.MustDropThresholds;
import dev.prism.llm.runtime.RuntimeOptions;
import dev.prism.llm.vlm.ImageLayout;
import dev.prism.llm.vlm.Prompt;
import dev.prism.llm.vlm.VisionLanguageModel;
import dev.prism.llm.vlm.VisionTokens;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captioning on the generated tiny SmolVLM (Idefics3 layout: 2x2 tiles + global view of 6x6 projected tokens each):
 * the same MustDrop A/B/C, PLPHP and Elastic Cache pipeline as for LLaVA, with the tile markup protected.
 */
class SmolVlmCaptionerTest {
    static final String PROMPT = "user : <image> describe this picture . assistant :";
    static final int PER_FRAME = 5 * 36;
    @TempDir
    static Path cache;
    static Captioner captioner;
    static List<Frame> frames;

    @BeforeAll
    static void open() {
        captioner = Captioner.open(DemoCheckpoints.tinySmolVlm(cache), cache, CaptionOptions.defaults().toBuilder()
                .maxNewTokens(6).answerTokens(6).threads(1).build());
        frames = CaptionTestFrames.segment(3, 48, 8);
    }

    @AfterAll
    static void close() {
        captioner.close();
    }

    @Test
    void everyStagePrunesTilesAndTheFiguresAddUp() {
        CaptionOptions o = captioner.options().toBuilder().mergeThreshold(0.5).stageBThresholds(0.03, 0.05).build();
        VisionBatch batch = captioner.encode(frames, o);
        assertTrue(captioner.tiled() && batch.tiled() && batch.demo());
        int at = 0;
        for (int f = 0; f < frames.size(); f++) {
            VisionBatch.FrameFigures fig = batch.frames().get(f);
            int[] keys = java.util.Arrays.copyOfRange(batch.patchKeys(), at, at + fig.afterTemporal());
            at += fig.afterTemporal();
            assertEquals(keys.length, java.util.Arrays.stream(keys).distinct().count(), "one projected slot per token");
            assertTrue(java.util.Arrays.stream(keys).allMatch(k -> k >= 0 && k < PER_FRAME));
            assertEquals(PER_FRAME, fig.patches(), "2x2 tiles + global view, 6x6 projected tokens each");
            assertEquals(fig.patches() - 8 * fig.mergedWindows(), fig.afterMerge(), "A1: count = N - 8r");
            ImageLayout l = batch.layouts().get(f);
            assertEquals(2, l.rows());
            assertEquals(2, l.cols());
            assertTrue(l.hasGlobal());
            assertEquals(fig.afterTemporal(), l.count());
        }
        assertTrue(batch.tokensAfterStageA() < batch.tokensBeforeStageA(), batch.toString());
        assertTrue(batch.tokensAfterTemporal() < batch.tokensAfterStageA(), batch.toString());
        CaptionResult r = captioner.caption(batch, PROMPT, o);
        assertTrue(r.demo() && r.sampledIds().length >= 1);
        CaptionFigures f = r.figures();
        assertEquals(batch.count(), f.visionAfterTemporal());
        int[] afterB = f.visionAfterStageB();
        assertEquals(4, afterB.length);
        for (int i = 0; i < afterB.length; i++) {
            int[] survivors = r.stageBSurvivors()[i];
            assertEquals(afterB[i], survivors.length, "markup is not counted as vision");
            assertTrue(i == 0 ? afterB[0] <= batch.count() : afterB[i] <= afterB[i - 1]);
            for (int j = 1; j < survivors.length; j++) {
                assertTrue(survivors[j] > survivors[j - 1], "composed index maps strictly increase");
            }
            for (int k : batch.keySet()) {
                assertTrue(Arrays.binarySearch(survivors, k) >= 0, "key " + k + " dropped at stage " + i);
            }
        }
        assertTrue(afterB[3] < batch.count(), Arrays.toString(afterB));
        assertTrue(f.layerAveragedVisionTokens() < batch.count());
        assertTrue(f.prefillFlops() < f.prefillFlopsUnpruned());
        assertTrue(f.kvBytesPruned() < f.kvBytesPrefill() && f.kvBytesMerged() < f.kvBytesPruned(), f.toMap().toString());
        assertTrue(f.plphpRetention() < 1);
        System.out.printf("SmolVLM tokens: before A %d, after A %d, after temporal %d, after B %s, layer-avg %.1f, "
                + "FLOPs %.3g -> %.3g, KV prefill %d -> pruned %d -> merged %d%n", f.visionBeforeStageA(),
                f.visionAfterStageA(), f.visionAfterTemporal(), Arrays.toString(afterB), f.layerAveragedVisionTokens(),
                f.prefillFlopsUnpruned(), f.prefillFlops(), f.kvBytesPrefill(), f.kvBytesPruned(), f.kvBytesMerged());
    }

    @Test
    void settingsThatPruneNothingGiveTheRuntimesTokensBitForBit() {
        List<Frame> one = frames.subList(0, 1);
        CaptionOptions off = CaptionOptions.none().toBuilder().maxNewTokens(12).build();
        VisionBatch batch = captioner.encode(one, off);
        assertEquals(PER_FRAME, batch.count());
        CaptionResult mine = captioner.caption(batch, PROMPT, off);
        CaptionOptions neutral = CaptionOptions.defaults().toBuilder().maxNewTokens(12).merge(false).temporal(false)
                .stageBThresholds(MustDropThresholds.NONE.global, MustDropThresholds.NONE.individual)
                .plphpParams(0.3, 0.1, 1.0, 0.0, 2, GqaAggregation.SUM)
                .elasticConfig(new ElasticCachePolicy.Config(0.0, 1, 1, -25, false)).build();
        VisionBatch keyed = captioner.encode(one, neutral);
        assertArrayEquals(batch.embeddings(), keyed.embeddings(), "the key-set hook changes no token");
        assertEquals((int) Math.ceil(0.08 * 36) * 5, keyed.keySet().length, "A2: ceil(0.08 n) keys per tile");
        CaptionResult neutralRun = captioner.caption(keyed, PROMPT, neutral);
        try (VisionLanguageModel vlm = VisionLanguageModel.load(DemoCheckpoints.tinySmolVlm(cache),
                RuntimeOptions.threads(1))) {
            Frame f = one.get(0);
            VisionTokens v = vlm.encodeImage(f.rgb(), f.width(), f.height());
            assertArrayEquals(v.embeddings(), batch.embeddings(), "vision path with stage A off is the runtime's");
            Prompt p = vlm.prepare(PROMPT, v);
            long around = vlm.tokenizer().tokenId("<fake_token_around_image>");
            assertEquals(6, Arrays.stream(p.ids()).filter(id -> id == around).count(), "4 tiles + global open/close");
            GenerationResult plain = vlm.generate(p, GenerationOptions.greedy(12), CachePolicy.NONE, TokenListener.NONE);
            assertArrayEquals(plain.tokens(), mine.tokens());
            assertEquals(plain.text(), mine.text());
            assertArrayEquals(plain.tokens(), neutralRun.tokens(), "neutral pruning settings change nothing");
            assertEquals(plain.prefillFlops(), mine.figures().prefillFlops());
        }
        CaptionFigures f = neutralRun.figures();
        assertEquals(f.kvBytesPrefill(), f.kvBytesMerged());
        assertEquals(1.0, f.plphpRetention());
        assertEquals(List.of(PER_FRAME, PER_FRAME, PER_FRAME, PER_FRAME),
                Arrays.stream(f.visionAfterStageB()).boxed().toList());
    }

    @Test
    void tiledBatchesRoundTripAndFollowUpsMatchRecomputation() {
        CaptionOptions best = CaptionOptions.none().toBuilder().maxNewTokens(6).cacheGenLevel(3).build();
        VisionBatch batch = captioner.encode(frames.subList(0, 2), best);
        VisionBatch back = VisionBatch.fromBytes(batch.toBytes());
        assertEquals(batch, back);
        CaptionResult r = captioner.caption(back, PROMPT, best);
        String q = "what is the man doing ?";
        Answer fromContext = captioner.ask(r.context(), q);
        Answer recomputed = captioner.recompute(batch, PROMPT, r.sampledIds(), q);
        assertArrayEquals(recomputed.tokens(), fromContext.tokens(), "level 3 context vs recomputed prefill");
        assertTrue(fromContext.fedTokens() < recomputed.fedTokens());
    }
}
