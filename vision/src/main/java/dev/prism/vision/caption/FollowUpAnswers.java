package dev.prism.vision.caption;

import dev.prism.llm.generate.CachePolicy;
import dev.prism.llm.generate.GenerationOptions;
import dev.prism.llm.generate.GenerationResult;
import dev.prism.llm.generate.Generator;
import dev.prism.llm.generate.ResumeState;
import dev.prism.llm.generate.TokenListener;
import dev.prism.llm.vlm.VisionLanguageModel;
import java.util.Arrays;
import java.util.Set;

/**
 * The follow-up half of {@link Captioner} (issue 7 item 4; ALGORITHMS.md 4.4): answers from a stored context at a
 * chosen CacheGen level (the runtime's resuming generate on the restored cache), from text with the prefill recomputed,
 * or by {@link AskPlanner}'s choice between them with this process's measured {@link AskCosts}.
 */
final class FollowUpAnswers {
    private final VisionLanguageModel vlm;
    private final CaptionOptions options;
    private final int modelId;
    private final boolean demo;
    private final Set<Long> stops;
    private final AskCosts costs = AskCosts.defaults();

    FollowUpAnswers(VisionLanguageModel vlm, CaptionOptions options, int modelId, boolean demo, Set<Long> stops) {
        this.vlm = vlm;
        this.options = options;
        this.modelId = modelId;
        this.demo = demo;
        this.stops = stops;
    }

    /** A follow-up answer from the context's CacheGen level {@code level} (1-3). */
    Answer ask(byte[] context, String question, int level) {
        CaptionException.check(question != null && !question.isBlank(), "the follow-up question is empty");
        CaptionException.check(level >= 1 && level <= 3, "CacheGen level " + level + " must be 1, 2 or 3");
        long start = System.nanoTime();
        byte[] single = ContextLevels.level(context, level);
        CaptionContext.State s = CaptionContext.decode(single, modelId);
        long decoded = System.nanoTime() - start;
        Answer a = resume(s, question, decoded);
        costs.recordCache(single.length, decoded, a.fedTokens(), a.prefillNanos() - decoded);
        return a;
    }

    /**
     * The ask path with CacheGen's adaptation ({@link AskPlanner}): picks the highest stored level whose transfer at
     * {@code bandwidthBytesPerSecond} plus its measured decode cost fits {@code deadlineMs} (infinite: no deadline),
     * else answers from {@code textContext} (the captions or transcript so far) with the prefill recomputed.
     */
    AskOutcome ask(byte[] context, String question, double deadlineMs, double bandwidthBytesPerSecond,
            java.util.function.Supplier<String> textContext) {
        CaptionException.check(question != null && !question.isBlank(), "the follow-up question is empty");
        long[] sizes = ContextLevels.sizes(context);
        int feed = followUp(question).length + 1;
        double[] decodeMs = new double[3];
        for (int l = 0; l < 3; l++) {
            decodeMs[l] = costs.cacheMs(sizes[l], feed);
        }
        String text = null;
        double textMs;
        if (Double.isInfinite(deadlineMs)) {
            textMs = Double.NaN;
        } else {
            text = textContext.get();
            textMs = costs.textMs(textPrompt(text, question).length);
        }
        AskPlanner.Plan plan = AskPlanner.choose(deadlineMs, bandwidthBytesPerSecond, sizes, decodeMs, textMs);
        if (plan.path() == AskPlanner.Path.CACHE) {
            return new AskOutcome(ask(context, question, plan.level()), plan);
        }
        return new AskOutcome(answerFromText(text != null ? text : textContext.get(), question), plan);
    }

    /** The text fallback: prefill [text context, question] from scratch (no vision tokens) and answer. */
    Answer answerFromText(String textContext, String question) {
        CaptionException.check(question != null && !question.isBlank(), "the follow-up question is empty");
        long[] ids = textPrompt(textContext == null ? "" : textContext, question);
        GenerationResult r = new Generator(vlm.decoder(), vlm.tokenizer(), demo).generate(ids,
                GenerationOptions.greedy(options.answerTokens()).stopTokens(stops).positions(options.positions()),
                CachePolicy.NONE, TokenListener.NONE);
        costs.recordText(ids.length, r.prefillNanos());
        return new Answer(r.text(), r.tokens(), demo, r.prefillNanos(), r.decodeNanos(), ids.length);
    }

    private long[] textPrompt(String textContext, String question) {
        long[] head = vlm.tokenizer().encode(textContext, true);
        long[] q = followUp(question);
        long[] ids = Arrays.copyOf(head, head.length + q.length);
        System.arraycopy(q, 0, ids, head.length, q.length);
        return ids;
    }

    /** The caption stored in a context (read from its header; nothing is decoded). */
    String captionText(byte[] context) {
        long[] ids = CaptionContext.sampledIds(ContextLevels.level(context, ContextLevels.best(context)));
        return vlm.tokenizer().decode(Arrays.stream(ids).filter(i -> !stops.contains(i)).toArray());
    }

    /** This process's measured ask costs (the planner's inputs). */
    AskCosts costs() {
        return costs;
    }

    /**
     * Continues a decoded context with the runtime's resuming generate: the caption's pending token and the question
     * are fed on top of the restored cache, then greedy decoding (no cache policy: the cache is used as stored).
     */
    private Answer resume(CaptionContext.State s, String question, long decodeContextNanos) {
        long[] q = followUp(question);
        long[] feed = new long[s.pending() + q.length];
        System.arraycopy(s.sampled(), s.sampled().length - s.pending(), feed, 0, s.pending());
        System.arraycopy(q, 0, feed, s.pending(), q.length);
        ResumeState state = new ResumeState(s.cache(), s.nextPos(), s.seen());
        GenerationResult r = new Generator(vlm.decoder(), vlm.tokenizer(), demo).generate(state, feed,
                GenerationOptions.greedy(options.answerTokens()).stopTokens(stops).positions(s.positions()),
                CachePolicy.NONE, TokenListener.NONE);
        return new Answer(r.text(), r.tokens(), demo, decodeContextNanos + r.prefillNanos(), r.decodeNanos(),
                feed.length);
    }

    long[] followUp(String question) {
        boolean tiled = !vlm.architecture().equals("llava");
        return vlm.tokenizer().encode(String.format(tiled ? Captioner.FOLLOW_UP_TEMPLATE_IDEFICS3
                : Captioner.FOLLOW_UP_TEMPLATE, question), false);
    }
}
