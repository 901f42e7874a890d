package dev.prism.vision.caption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.llm.generate.CachePolicy;
import dev.prism.llm.generate.GenerationOptions;
import dev.prism.llm.generate.GenerationResult;
import dev.prism.llm.generate.TokenListener;
import dev.prism.llm.pruning.ElasticCachePolicy;
import dev.prism.llm.pruning.GqaAggregation;
import dev.prism.llm.pruning.MustDropThresholds;
import dev.prism.llm.runtime.RuntimeOptions;
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

/** End-to-end captioning on the generated tiny LLaVA (ALGORITHMS.md 1-4 checklists, issue 7 item 6). */
class CaptionerTest {
    static final String PROMPT = "user : <image> describe this picture . assistant :";
    @TempDir
    static Path cache;
    static Captioner captioner;
    static List<Frame> frames;

    @BeforeAll
    static void open() {
        captioner = Captioner.open(null, cache, CaptionOptions.defaults().toBuilder().maxNewTokens(6).answerTokens(6)
                .threads(1).build());
        frames = CaptionTestFrames.segment(3, 48, 8);
    }

    @AfterAll
    static void close() {
        captioner.close();
    }

    @Test
    void captionsAreProducedAndLabelledDemo() {
        VisionBatch batch = captioner.encode(frames);
        CaptionResult r = captioner.caption(batch, PROMPT);
        assertTrue(batch.demo() && r.demo() && captioner.isDemo(), "generated checkpoint: every output is demo");
        assertNotNull(r.text());
        assertTrue(r.sampledIds().length >= 1);
        CaptionFigures f = r.figures();
        assertEquals(batch.count(), f.visionAfterTemporal());
        assertEquals(f.promptTokens(), f.prefillTokensPerLayer()[0]);
        assertEquals(r.context().length, f.contextBytes());
        assertTrue(f.kvBytesCacheGen() < f.kvBytesInt8() && f.kvBytesInt8() < f.kvBytesFp16(),
                "CacheGen < 8-bit < fp16: " + f.toMap());
        assertEquals(f.toMap().keySet(), captioner.caption(batch, PROMPT, CaptionOptions.none()).figures().toMap()
                .keySet(), "report rows keep the same keys");
    }

    @Test
    void allPruningOffGivesTheRuntimesTokensBitForBit() {
        CaptionOptions off = CaptionOptions.none().toBuilder().maxNewTokens(12).build();
        VisionBatch batch = captioner.encode(frames, off);
        assertEquals(3 * 36, batch.count(), "no merge, no temporal filter: every patch of every frame");
        CaptionResult mine = captioner.caption(batch, PROMPT, off);
        // every stage on, but with settings that prune nothing (ALGORITHMS.md 1.2 CLI defaults, 2.4 r = 1, ratio 0)
        CaptionOptions neutral = CaptionOptions.defaults().toBuilder().maxNewTokens(12).merge(false).temporal(false)
                .stageBThresholds(MustDropThresholds.NONE.global, MustDropThresholds.NONE.individual)
                .plphpParams(0.3, 0.1, 1.0, 0.0, 2, GqaAggregation.SUM)
                .elasticConfig(new ElasticCachePolicy.Config(0.0, 1, 1, -25, false)).build();
        CaptionResult neutralRun = captioner.caption(batch, PROMPT, neutral);
        try (VisionLanguageModel vlm = VisionLanguageModel.load(DemoCheckpoints.tiny(cache), RuntimeOptions.threads(1))) {
            float[] all = new float[0];
            for (Frame f : frames) {
                VisionTokens v = vlm.encodeImage(f.rgb(), f.width(), f.height());
                int at = all.length;
                all = Arrays.copyOf(all, at + v.embeddings().length);
                System.arraycopy(v.embeddings(), 0, all, at, v.embeddings().length);
            }
            assertArrayEquals(all, batch.embeddings(), "vision path with stage A off is the runtime's");
            Prompt p = vlm.prepare(PROMPT, new VisionTokens(all, batch.count(), batch.hidden(), 1, 1, batch.count(), false));
            GenerationResult plain = vlm.generate(p, GenerationOptions.greedy(12), CachePolicy.NONE, TokenListener.NONE);
            assertArrayEquals(plain.tokens(), mine.tokens());
            assertEquals(plain.text(), mine.text());
            assertArrayEquals(plain.tokens(), neutralRun.tokens(), "neutral pruning settings change nothing");
            assertEquals(plain.prefillFlops(), mine.figures().prefillFlops());
        }
        CaptionFigures f = neutralRun.figures();
        assertEquals(f.kvBytesPrefill(), f.kvBytesMerged());
        assertEquals(1.0, f.plphpRetention());
        assertEquals(List.of(108, 108, 108, 108), Arrays.stream(f.visionAfterStageB()).boxed().toList());
    }

    @Test
    void eachStageKeepsFewerVisionTokensAndTheKeySetSurvives() {
        CaptionOptions o = captioner.options().toBuilder().mergeThreshold(0.5).stageBThresholds(0.03, 0.05).build();
        VisionBatch batch = captioner.encode(frames, o);
        for (VisionBatch.FrameFigures f : batch.frames()) {
            assertEquals(f.patches() - 8 * f.mergedWindows(), f.afterMerge(), "A1: count = N - 8r");
            assertEquals((int) Math.ceil(0.08 * f.afterMerge()), f.keys(), "A2: ceil(0.08 (N-1)) keys, all kept");
        }
        assertTrue(batch.tokensAfterStageA() < batch.tokensBeforeStageA(), batch.toString());
        assertTrue(batch.tokensAfterTemporal() < batch.tokensAfterStageA(), batch.toString());
        // patch keys: a distinct grid patch per token of a frame, a merged window's bottom-right one
        int at = 0;
        int grid = (int) Math.round(Math.sqrt(batch.frames().get(0).patches()));
        for (VisionBatch.FrameFigures f : batch.frames()) {
            int[] k = Arrays.copyOfRange(batch.patchKeys(), at, at + f.afterTemporal());
            assertEquals(k.length, Arrays.stream(k).distinct().count(), "distinct patch keys within a frame");
            assertTrue(Arrays.stream(k).allMatch(x -> x >= 0 && x < f.patches()), Arrays.toString(k));
            at += f.afterTemporal();
        }
        VisionBatch whole = captioner.encode(frames, CaptionOptions.none());
        for (int i = 0; i < whole.count(); i++) {
            assertEquals(i % (grid * grid), whole.patchKeys()[i], "unpruned: the raster patch index");
        }
        CaptionResult r = captioner.caption(batch, PROMPT, o);
        CaptionFigures f = r.figures();
        int[] afterB = f.visionAfterStageB();
        assertEquals(4, afterB.length, "stage B at layers 2, 6, 10, 14");
        assertTrue(afterB[afterB.length - 1] < batch.count(), Arrays.toString(afterB));
        for (int i = 0; i < afterB.length; i++) {
            assertTrue(i == 0 ? afterB[0] <= batch.count() : afterB[i] <= afterB[i - 1]);
            int[] survivors = r.stageBSurvivors()[i];
            for (int j = 1; j < survivors.length; j++) {
                assertTrue(survivors[j] > survivors[j - 1], "composed index maps strictly increase");
            }
            for (int k : batch.keySet()) {
                assertTrue(Arrays.binarySearch(survivors, k) >= 0, "key " + k + " dropped at stage " + i);
            }
        }
        assertTrue(f.layerAveragedVisionTokens() < batch.count());
        assertTrue(f.prefillFlops() < f.prefillFlopsUnpruned());
        assertTrue(f.kvBytesPrefill() < f.kvBytesFull() && f.kvBytesPruned() < f.kvBytesPrefill()
                && f.kvBytesMerged() < f.kvBytesPruned(), f.toMap().toString());
        assertTrue(f.plphpRetention() < 1);
    }

    @Test
    void visionBatchRoundTripsAndRejectsTruncationAndCorruption() {
        VisionBatch batch = captioner.encode(frames);
        byte[] bytes = batch.toBytes();
        VisionBatch back = VisionBatch.fromBytes(bytes);
        assertEquals(batch, back);
        assertArrayEquals(captioner.caption(batch, PROMPT).tokens(), captioner.caption(back, PROMPT).tokens());
        CaptionException cut = assertThrows(CaptionException.class,
                () -> VisionBatch.fromBytes(Arrays.copyOf(bytes, bytes.length - 9)));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
        byte[] bad = bytes.clone();
        bad[bad.length / 2] ^= 0x40;
        assertTrue(assertThrows(CaptionException.class, () -> VisionBatch.fromBytes(bad)).getMessage()
                .contains("CRC"));
        assertThrows(CaptionException.class, () -> VisionBatch.fromBytes("nope".getBytes()));
    }

    @Test
    void answersFromTheEncodedContextMatchRecomputation() {
        CaptionOptions best = CaptionOptions.none().toBuilder().maxNewTokens(6).cacheGenLevel(3).build();
        VisionBatch batch = captioner.encode(frames, best);
        CaptionResult r = captioner.caption(batch, PROMPT, best);
        String q = "what is the man doing ?";
        Answer fromContext = captioner.ask(r.context(), q);
        Answer recomputed = captioner.recompute(batch, PROMPT, r.sampledIds(), q);
        assertArrayEquals(recomputed.tokens(), fromContext.tokens(), "level 3 context vs recomputed prefill");
        assertTrue(fromContext.fedTokens() < recomputed.fedTokens(), "no vision prefill recomputed");
        assertTrue(fromContext.demo());
        CaptionResult pruned = captioner.caption(captioner.encode(frames), PROMPT);
        Answer fromPruned = captioner.ask(pruned.context(), q);
        assertTrue(fromPruned.demo() && fromPruned.tokens().length <= captioner.options().answerTokens());
        byte[] cut = Arrays.copyOf(r.context(), r.context().length - 3);
        assertThrows(CaptionException.class, () -> captioner.answer(cut, q));
    }

    @Test
    void plphpCalibrationSplitsTheLoggedRatiosAndHitsTheTargetRetention() {
        VisionBatch a = captioner.encode(frames);
        VisionBatch b = captioner.encode(CaptionTestFrames.segment(2, 48, 16));
        var cal = captioner.calibratePlphp(List.of(a, b, a), List.of(PROMPT, "user : <image> what is this ? assistant :",
                "<image> the cat"), 0.5, 0.2);
        assertTrue(cal.alpha() > cal.beta(), cal.toString());
        assertEquals(0.5, cal.realisedRetention(), 0.1, cal.toString());
        assertThrows(CaptionException.class, () -> captioner.calibratePlphp(List.of(a), List.of(), 0.5, 0.2));
    }

    @Test
    void elasticCacheHoldsOneMinusRatioOfTheTokensSeen() {
        CaptionOptions o = CaptionOptions.none().toBuilder().elastic(true).maxNewTokens(12).build();
        CaptionFigures f = captioner.caption(captioner.encode(frames, o), PROMPT, o).figures();
        double perToken = f.kvBytesPrefill() / (double) f.promptTokens(); // every layer holds the whole prompt
        double held = f.kvBytesMerged() / perToken;
        assertEquals(0.8 * f.promptTokens(), held, 1.0, "ALGORITHMS.md 3.3: cache ~ (1 - ratio) x seen after merging");
        double seen = f.promptTokens() + f.decodeSteps();
        assertEquals(0.8 * seen, f.kvBytesFinal() / perToken, 1.0, "fixed-point eviction keeps the budget while decoding");
    }

    @Test
    void resumingFromEachCacheGenLevelAgreesWithRecomputingThePrefill() {
        CaptionOptions base = CaptionOptions.none().toBuilder().maxNewTokens(6).answerTokens(12).build();
        VisionBatch batch = captioner.encode(frames, base);
        String q = "what is the man doing ?";
        Captioner wide = Captioner.open(null, cache, base.toBuilder().threads(1).build());
        try {
            Answer recomputed = null;
            double[] agreement = new double[4];
            for (int level = 1; level <= 3; level++) {
                CaptionOptions o = base.toBuilder().cacheGenLevel(level).build();
                CaptionResult r = wide.caption(batch, PROMPT, o);
                if (recomputed == null) {
                    recomputed = wide.recompute(batch, PROMPT, r.sampledIds(), q);
                }
                Answer a = wide.ask(r.context(), q);
                int same = 0;
                for (int i = 0; i < Math.min(a.tokens().length, recomputed.tokens().length); i++) {
                    same += a.tokens()[i] == recomputed.tokens()[i] ? 1 : 0;
                }
                agreement[level] = same / (double) Math.max(1, recomputed.tokens().length);
                System.out.printf("CacheGen level %d: context %d bytes, answer top-1 agreement with recompute %.3f%n",
                        level, r.context().length, agreement[level]);
            }
            assertEquals(1.0, agreement[3], "the highest level resumes to the recomputed answer");
            assertTrue(agreement[1] >= 0 && agreement[2] >= 0);
        } finally {
            wide.close();
        }
    }

    @Test
    void theAskPathFallsBackToTextUnderATinyDeadlineAndUsesTheBestLevelWithoutOne() {
        CaptionOptions o = CaptionOptions.none().toBuilder().maxNewTokens(6).build();
        CaptionResult r = captioner.caption(captioner.encode(frames, o), PROMPT, o);
        long[] sizes = captioner.contextSizes(r.context());
        assertTrue(sizes[0] > 0 && sizes[0] < sizes[1] && sizes[1] < sizes[2], "all three levels stored, level 1 "
                + "smallest: " + Arrays.toString(sizes));
        assertEquals(r.context().length, r.figures().contextBytes());
        String q = "what is the man doing ?";
        AskOutcome best = captioner.ask(r.context(), q, Double.POSITIVE_INFINITY, 125e6, () -> {
            throw new AssertionError("no deadline: the text is never needed");
        });
        assertEquals(AskPlanner.Path.CACHE, best.plan().path());
        assertEquals(3, best.plan().level());
        assertArrayEquals(captioner.ask(r.context(), q, 3).tokens(), best.answer().tokens());
        String caption = captioner.captionText(r.context());
        assertEquals(r.text(), caption, "the caption is read back from the context header");
        AskOutcome fallback = captioner.ask(r.context(), q, 0.001, 125e6, () -> caption);
        assertEquals(AskPlanner.Path.TEXT, fallback.plan().path());
        assertEquals("text", fallback.toMap().get("path"));
        assertEquals(0, fallback.toMap().get("level"));
        Answer direct = captioner.answerFromText(caption, q);
        assertArrayEquals(direct.tokens(), fallback.answer().tokens(), "the fallback is the text recompute");
        assertTrue(fallback.answer().demo());
        assertTrue(direct.fedTokens() < captioner.recompute(captioner.encode(frames, o), PROMPT, r.sampledIds(), q)
                .fedTokens(), "the text prompt carries no vision tokens");
    }
}
