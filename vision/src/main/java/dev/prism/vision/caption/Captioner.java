package dev.prism.vision.caption;

import dev.prism.llm.checkpoint.TextTokenizer;
import dev.prism.llm.generate.DecoderModel;
import dev.prism.llm.model.DecoderSpec;
import dev.prism.llm.pruning.PlphpCalibrator;
import dev.prism.llm.runtime.RuntimeOptions;
import dev.prism.llm.vlm.Prompt;
import dev.prism.llm.vlm.VisionLanguageModel;
import dev.prism.llm.vlm.VisionTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The captioning facade for the vision and vlm stages (issue 7; ALGORITHMS.md 1-4) on a LLaVA-1.5 or an
 * Idefics3/SmolVLM checkpoint (tiles plus global view, pixel-shuffle projector, stage A adapted as
 * {@link TiledVisionStage} describes, tile markup protected from every pruning stage).
 * {@link #encode} is step 1 (vision tower with MustDrop stage A, temporal filter, projector) and returns a
 * {@link VisionBatch} that travels as bytes; {@link #caption} is step 2 (prefill with MustDrop stage B, cache policies
 * MustDrop C, PLPHP and Elastic Cache, greedy decoding) and returns the caption with its figures and a CacheGen-coded
 * context; {@link #answer} continues that context with a follow-up question without recomputing the vision prefill,
 * {@link #answerByRecompute} is the baseline that does. With a null checkpoint a tiny generated demo model is used
 * and every output says demo. Not thread-safe: one caller at a time (the stages run one request per worker).
 */
public final class Captioner implements AutoCloseable {
    /** LLaVA-1.5's conversation template for a turn after the caption. */
    public static final String FOLLOW_UP_TEMPLATE = "USER: %s ASSISTANT:";
    /** Idefics3/SmolVLM's template for a turn after the caption. */
    public static final String FOLLOW_UP_TEMPLATE_IDEFICS3 = "<end_of_utterance>\nUser: %s<end_of_utterance>\nAssistant:";

    private final VisionLanguageModel vlm;
    private final CaptionOptions options;
    private final int modelId;
    private final Set<Long> stops = new HashSet<>();
    private final boolean demo;
    private final FollowUpAnswers answers;

    private Captioner(VisionLanguageModel vlm, CaptionOptions options, int modelId, boolean demo) {
        this.vlm = vlm;
        this.options = options;
        this.modelId = modelId;
        this.demo = demo;
        vlm.checkpoint().generationConfig().eosTokenIds().forEach(i -> stops.add((long) i));
        this.answers = new FollowUpAnswers(vlm, options, modelId, demo, stops);
    }

    /**
     * @param checkpointDirOrNull a LLaVA-1.5 or Idefics3/SmolVLM checkpoint directory, or null for the generated
     *                            LLaVA demo model
     * @param cacheDir            where the demo model is generated once (unused with a checkpoint)
     */
    public static Captioner open(Path checkpointDirOrNull, Path cacheDir, CaptionOptions options) {
        CaptionException.check(options != null, "options are null: pass CaptionOptions.defaults() or none()");
        Path dir = checkpointDirOrNull != null ? checkpointDirOrNull : DemoCheckpoints.tiny(cacheDir);
        CaptionException.check(Files.isDirectory(dir), "checkpoint directory " + dir + " does not exist");
        VisionLanguageModel vlm = VisionLanguageModel.load(dir, RuntimeOptions.threads(options.threads()));
        try {
            CaptionException.check(vlm.hasVision(), dir + " is a text-only " + vlm.architecture() + " checkpoint; the "
                    + "captioner needs a LLaVA-1.5 or Idefics3/SmolVLM layout");
            Captioner c = new Captioner(vlm, options, modelId(dir), vlm.isDemo() || checkpointDirOrNull == null);
            if (!c.tiled()) {
                new VisionStage(vlm, options, c.modelId);
            }
            return c;
        } catch (RuntimeException e) {
            vlm.close();
            throw e;
        }
    }

    private static int modelId(Path dir) {
        try {
            CRC32 c = new CRC32();
            c.update(Files.readAllBytes(dir.resolve("config.json")));
            return (int) c.getValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("config.json"), e);
        }
    }

    public CaptionOptions options() {
        return options;
    }

    public boolean isDemo() {
        return demo;
    }

    /** CRC-32 of the checkpoint's config.json; batches and contexts carry it. */
    public int modelId() {
        return modelId;
    }

    /** Step 1 with this captioner's options. */
    public VisionBatch encode(List<Frame> frames) {
        return encode(frames, options);
    }

    /** Step 1 with other stage A / temporal switches (same model). */
    public VisionBatch encode(List<Frame> frames, CaptionOptions o) {
        VisionBatch b = tiled() ? new TiledVisionStage(vlm, o, modelId).encode(frames)
                : new VisionStage(vlm, o, modelId).encode(frames);
        return demo == b.demo() ? b : b.withDemo(demo);
    }

    /** Whether the checkpoint is Idefics3/SmolVLM (tiled images, pixel-shuffle projector) rather than LLaVA. */
    public boolean tiled() {
        return !vlm.architecture().equals("llava");
    }

    /** "llava", "idefics3" or "smolvlm". */
    public String architecture() {
        return vlm.architecture();
    }

    /** Step 2 with this captioner's options. */
    public CaptionResult caption(VisionBatch batch, String prompt) {
        return caption(batch, prompt, options);
    }

    /** Step 2 with other stage B / cache policy switches (same model). */
    public CaptionResult caption(VisionBatch batch, String prompt, CaptionOptions o) {
        return scored(batch, prompt, o, null, false, false).caption();
    }

    /**
     * A caption, the next-token logits of every step, and (when asked for) the final cache's CacheGen size at quality
     * levels 1, 2 and 3 (index level - 1; empty otherwise).
     */
    public record Scored(CaptionResult caption, float[][] logits, long[] cacheGenBytesByLevel) {
    }

    /**
     * Step 2 keeping every step's logits, optionally teacher-forced on {@code forcedOrNull} (the tokens another run
     * sampled, stop token included), for fidelity measurements against the unpruned model.
     */
    public Scored scored(VisionBatch batch, String prompt, CaptionOptions o, long[] forcedOrNull) {
        return scored(batch, prompt, o, forcedOrNull, true, false);
    }

    /** {@link #scored(VisionBatch, String, CaptionOptions, long[])}, also coding the final cache at all three levels. */
    public Scored scoredAllLevels(VisionBatch batch, String prompt, CaptionOptions o, long[] forcedOrNull) {
        return scored(batch, prompt, o, forcedOrNull, true, true);
    }

    private Scored scored(VisionBatch batch, String prompt, CaptionOptions o, long[] forced, boolean keepLogits,
            boolean allLevels) {
        checkBatch(batch);
        PromptSpan ps = prepare(batch, prompt);
        Prompt p = ps.prompt();
        CaptionRun run = new CaptionRun(vlm.decoder(), o, ps, batch);
        float[] logits = run.prefill();
        DecodeSession.Run r = run.session().greedy(logits, o.maxNewTokens(), stops,
                forced == null ? null : i -> forced[i], forced == null ? 0 : forced.length, keepLogits);
        long[] tokens = r.stopped() ? Arrays.copyOf(r.sampled(), r.sampled().length - 1) : r.sampled();
        String text = vlm.tokenizer().decode(tokens);
        long[] byLevel = new long[allLevels ? 3 : 0];
        CaptionContext.Encoded ctx = null;
        java.util.Map<Integer, byte[]> stored = new java.util.TreeMap<>();
        CaptionContext.Layout layout = contextLayout(ps, batch, run);
        for (int level = 1; level <= 3; level++) {
            if (level == o.cacheGenLevel() || allLevels || o.contextAllLevels()) {
                CaptionContext.Encoded e = CaptionContext.encode(new CaptionContext.State(modelId, demo, level,
                        o.positions(), run.session().nextPosition(), run.session().tokensSeen(), p.ids(), r.sampled(),
                        r.sampled().length > 0 ? 1 : 0, run.session().cache()), layout);
                if (allLevels) {
                    byLevel[level - 1] = e.cacheGenBytes();
                }
                if (level == o.cacheGenLevel()) {
                    ctx = e;
                }
                if (level == o.cacheGenLevel() || o.contextAllLevels()) {
                    stored.put(level, e.bytes());
                }
            }
        }
        byte[] context = stored.size() == 1 ? ctx.bytes() : ContextLevels.pack(stored);
        CaptionFigures fig = run.figures(r, ctx, context.length);
        return new Scored(new CaptionResult(text, tokens, r.sampled(), demo, fig, context, run.stageBSurvivors()),
                r.logits(), byLevel);
    }

    /**
     * Where the cached tokens came from (see {@link CaptionContext}): each prompt token's patch key from the batch,
     * each layer's prefill rows after stage B, and the decoder's RoPE frequencies for turning key anchors.
     */
    private CaptionContext.Layout contextLayout(PromptSpan ps, VisionBatch batch, CaptionRun run) {
        int[] keys = null;
        if (batch.patchKeys() != null) {
            keys = new int[ps.prompt().length()];
            Arrays.fill(keys, -1);
            int[] toBatch = ps.spanToBatch();
            for (int j = 0; j < toBatch.length; j++) {
                if (toBatch[j] >= 0) {
                    keys[ps.system() + j] = batch.patchKeys()[toBatch[j]];
                }
            }
        }
        return new CaptionContext.Layout(keys, run.prefillRows(), dev.prism.codecs.cachegen.KeyRope.of(
                vlm.decoder().spec().rope().inverseFrequencies(ps.prompt().length())));
    }

    /**
     * Decode speed of several configurations measured side by side: each is prefilled, then they take turns on the same
     * forced tokens, one step each in rotating order, so load from other processes hits all of them alike; returns the
     * median ms per step of each (timing only: no context is coded).
     */
    public double[] pairedDecodeMs(List<VisionBatch> batches, List<CaptionOptions> configs, String prompt,
            long[] tokens) {
        CaptionException.check(batches.size() == configs.size() && !batches.isEmpty(), "one batch per configuration");
        CaptionException.check(tokens.length >= 2, "paired decoding needs at least two tokens");
        List<CaptionRun> runs = new java.util.ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            checkBatch(batches.get(i));
            CaptionRun run = new CaptionRun(vlm.decoder(), configs.get(i), prepare(batches.get(i), prompt),
                    batches.get(i));
            run.prefill();
            runs.add(run);
        }
        int steps = tokens.length - 1;
        double[][] ms = new double[runs.size()][steps];
        for (int s = 0; s < steps; s++) {
            for (int k = 0; k < runs.size(); k++) {
                int i = (k + s) % runs.size();
                long t0 = System.nanoTime();
                runs.get(i).session().step(tokens[s]);
                ms[i][s] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double[] out = new double[runs.size()];
        for (int i = 0; i < out.length; i++) {
            double[] m = ms[i].clone();
            Arrays.sort(m);
            out[i] = m[m.length / 2];
        }
        return out;
    }

    /** Answers a follow-up question from a caption's context: CacheGen-decode the cache, feed the question, decode. */
    public String answer(byte[] context, String question) {
        return ask(context, question).text();
    }

    /** {@link #answer} with timings, from the highest quality level the context holds. */
    public Answer ask(byte[] context, String question) {
        return answers.ask(context, question, ContextLevels.best(context));
    }

    /** A follow-up answer from the context's CacheGen level {@code level} (1-3). */
    public Answer ask(byte[] context, String question, int level) {
        return answers.ask(context, question, level);
    }

    /**
     * The ask path with CacheGen's adaptation ({@link AskPlanner}): picks the highest stored level whose transfer at
     * {@code bandwidthBytesPerSecond} plus its measured decode cost fits {@code deadlineMs} (infinite: no deadline),
     * else answers from {@code textContext} (the captions or transcript so far) with the prefill recomputed.
     */
    public AskOutcome ask(byte[] context, String question, double deadlineMs, double bandwidthBytesPerSecond,
            java.util.function.Supplier<String> textContext) {
        return answers.ask(context, question, deadlineMs, bandwidthBytesPerSecond, textContext);
    }

    /** The text fallback: prefill [text context, question] from scratch (no vision tokens) and answer. */
    public Answer answerFromText(String textContext, String question) {
        return answers.answerFromText(textContext, question);
    }

    /** The CacheGen-coded size of each level the context holds (index level - 1; 0 where absent). */
    public long[] contextSizes(byte[] context) {
        return ContextLevels.sizes(context);
    }

    /** The caption stored in a context (read from its header; nothing is decoded). */
    public String captionText(byte[] context) {
        return answers.captionText(context);
    }

    /** This process's measured ask costs (the planner's inputs). */
    public AskCosts costs() {
        return answers.costs();
    }

    /** The baseline: caption again, then prefill [prompt, vision, caption, question] from scratch and answer. */
    public String answerByRecompute(VisionBatch batch, String captionPrompt, String question) {
        return recompute(batch, captionPrompt, caption(batch, captionPrompt).sampledIds(), question).text();
    }

    /**
     * Recomputes the KV of the whole conversation (no pruning) and answers; the timing covers only that prefill and
     * the answer, not the caption that produced {@code captionSampledIds}.
     */
    public Answer recompute(VisionBatch batch, String captionPrompt, long[] captionSampledIds, String question) {
        CaptionException.check(question != null && !question.isBlank(), "the follow-up question is empty");
        checkBatch(batch);
        long start = System.nanoTime();
        Prompt p = prepare(batch, captionPrompt).prompt();
        long[] q = followUp(question);
        long[] rest = new long[captionSampledIds.length + q.length];
        System.arraycopy(captionSampledIds, 0, rest, 0, captionSampledIds.length);
        System.arraycopy(q, 0, rest, captionSampledIds.length, q.length);
        DecoderModel dec = vlm.decoder();
        int h = dec.spec().hidden();
        float[] emb = Arrays.copyOf(p.embeddings(), (p.length() + rest.length) * h);
        System.arraycopy(dec.embed(rest), 0, emb, p.length() * h, rest.length * h);
        DecodeSession session = DecodeSession.fresh(dec, new PolicyBridge(null, List.of(), 0, dec.spec().layers()),
                options.positions());
        float[] logits = session.prefill(emb, p.length() + rest.length, new DecodeSession.Prefill[1]);
        return finish(session, logits, System.nanoTime() - start, p.length() + rest.length);
    }

    private Answer finish(DecodeSession session, float[] logits, long prefillNanos, int fed) {
        DecodeSession.Run r = session.greedy(logits, options.answerTokens(), stops, null, 0, false);
        long[] tokens = r.stopped() ? Arrays.copyOf(r.sampled(), r.sampled().length - 1) : r.sampled();
        return new Answer(vlm.tokenizer().decode(tokens), tokens, demo, prefillNanos, r.nanos(), fed);
    }

    /**
     * PLPHP calibration (ALGORITHMS.md 2.3): logs gamma of every layer >= K on each (batch, prompt) pair's unpruned
     * prefill, then sets alpha/beta at the 67th/33rd percentiles and solves r for the target mean retention.
     */
    public PlphpCalibrator.Calibration calibratePlphp(List<VisionBatch> batches, List<String> prompts,
            double targetRetention, double deltaR) {
        return new PlphpCalibrator().calibrate(plphpGammas(batches, prompts), targetRetention, deltaR);
    }

    /**
     * The logged gammas behind {@link #calibratePlphp}: per (batch, prompt) pair, gamma of every layer >= K on its
     * unpruned prefill, so several calibrations (a deltaR sweep) share one pass of prefills.
     */
    public List<double[]> plphpGammas(List<VisionBatch> batches, List<String> prompts) {
        CaptionException.check(batches.size() == prompts.size() && !batches.isEmpty(), "calibration needs one prompt "
                + "per batch and at least one pair; got " + batches.size() + " batches, " + prompts.size() + " prompts");
        List<double[]> gammas = new java.util.ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            checkBatch(batches.get(i));
            Prompt p = prepare(batches.get(i), prompts.get(i)).prompt();
            gammas.add(GammaProbe.gammas(vlm.decoder(), p, options.plphpFirstLayer()));
        }
        return gammas;
    }

    private long[] followUp(String question) {
        return answers.followUp(question);
    }

    /** The prompt with the batch's tokens at its {@code <image>} placeholder, and MustDrop's S / V / Tq split of it. */
    private PromptSpan prepare(VisionBatch batch, String prompt) {
        CaptionException.check(prompt != null && !prompt.isBlank(), "the caption prompt is empty");
        CaptionException.check(batch.tiled() == tiled(), "the vision batch is " + (batch.tiled() ? "tiled" : "untiled")
                + " but the captioner's " + vlm.architecture() + " checkpoint needs " + (tiled() ? "tiled" : "untiled")
                + " images: encode the frames with the same checkpoint");
        String text = prompt.contains("<image>") ? prompt : "<image> " + prompt;
        int at = text.indexOf("<image>");
        CaptionException.check(text.indexOf("<image>", at + 1) < 0, "the prompt must hold one <image> placeholder; "
                + "got \"" + prompt + "\"");
        Prompt p;
        if (batch.tiled()) {
            p = vlm.prepareTiled(text, batch.embeddings(), batch.layouts());
        } else {
            p = vlm.prepare(text, new VisionTokens(batch.embeddings(), batch.count(), batch.hidden(), 1, 1,
                    batch.count(), false));
        }
        int system = vlm.tokenizer().encode(text.substring(0, at), true).length;
        int rest = vlm.tokenizer().encode(text.substring(at + "<image>".length()), false).length;
        return PromptSpan.of(p, system, rest);
    }

    private void checkBatch(VisionBatch batch) {
        CaptionException.check(batch != null, "the vision batch is null");
        DecoderSpec s = vlm.decoder().spec();
        CaptionException.check(batch.modelId() == modelId && batch.hidden() == s.hidden(), "the vision batch was "
                + "encoded by another model (id " + Integer.toHexString(batch.modelId()) + ", hidden " + batch.hidden()
                + "; this captioner: " + Integer.toHexString(modelId) + ", hidden " + s.hidden()
                + "): encode the frames with the same checkpoint");
    }

    public TextTokenizer tokenizer() {
        return vlm.tokenizer();
    }

    @Override
    public void close() {
        vlm.close();
    }
}
