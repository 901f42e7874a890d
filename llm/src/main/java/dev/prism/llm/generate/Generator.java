package dev.prism.llm.generate;

import dev.prism.llm.checkpoint.TextTokenizer;
import dev.prism.llm.kv.KvCache;
import dev.prism.llm.kv.LayerKv;
import dev.prism.llm.model.DecoderSpec;
import java.util.Arrays;

/**
 * The generation loop: prefill layer by layer (policies may read attention and shorten the sequence
 * between layers), then token-by-token decode over the Java-owned KV cache, with greedy or
 * temperature/top-p sampling, stop tokens, stop strings, a token budget and streaming. A conversation can also be
 * resumed from an external cache ({@link ResumeState}: a restored context plus its next position) and driven one
 * step at a time ({@link #step}, {@link #feed}) by callers that force tokens or keep every step's logits.
 */
public final class Generator {
    private final DecoderModel model;
    private final TextTokenizer tokenizer;
    private final boolean demo;

    /** tokenizer may be null (then stop strings are ignored and text is empty). */
    public Generator(DecoderModel model, TextTokenizer tokenizer, boolean demo) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.demo = demo;
    }

    public GenerationResult generate(long[] promptIds, GenerationOptions o, CachePolicy policy, TokenListener listener) {
        return generate(model.embed(promptIds), promptIds.length, o, policy, listener);
    }

    /** Generates from input embeddings [t * hidden] (text embeddings with vision tokens spliced in). */
    public GenerationResult generate(float[] embeds, int t, GenerationOptions o, CachePolicy policy, TokenListener listener) {
        DecoderSpec s = model.spec();
        if (t <= 0 || embeds.length != t * s.hidden()) {
            throw new IllegalArgumentException("prompt embeddings must be t * hidden = " + t + " * " + s.hidden()
                    + " values, got " + embeds.length);
        }
        KvCache cache = new KvCache(s.layers(), s.kvHeads(), s.headDim());
        long start = System.nanoTime();
        float[] x = embeds;
        long[] pos = new long[t];
        for (int i = 0; i < t; i++) {
            pos[i] = i;
        }
        int[] perLayer = new int[s.layers()];
        double flops = 0;
        for (int l = 0; l < s.layers(); l++) {
            int n = pos.length;
            perLayer[l] = n;
            flops += s.layerPrefillFlops(n);
            int[] probe = policy.prefillProbeRows(l, n);
            LayerOutput out = model.runLayer(l, x, n, pos, (int) (max(pos) + 1), cache.layer(l), probe);
            PrefillLayer ctx = new PrefillLayer(l, out.hidden(), s.hidden(), pos, probe, out.probs(), cache.layer(l));
            policy.afterPrefillLayer(ctx);
            if (ctx.keep() != null) {
                x = ctx.keptHidden();
                pos = ctx.keptPositions();
            } else {
                x = out.hidden();
            }
        }
        long seen = t;
        policy.afterPrefill(cache, seen);
        long kvAfterPrefill = cache.bytes();
        float[] logits = model.logits(Arrays.copyOfRange(x, x.length - s.hidden(), x.length));
        long prefillNanos = System.nanoTime() - start;
        ResumeState state = new ResumeState(cache, max(pos) + 1, seen);
        return decode(logits, state, t, o, policy, listener, perLayer, flops, kvAfterPrefill, prefillNanos);
    }

    /**
     * Continues a conversation from an external cache (e.g. a decoded CacheGen context): feeds {@code feedIds} (the
     * caller's pending token and new turn) into the state's cache as one chunk, then decodes exactly as
     * {@link #generate(float[], int, GenerationOptions, CachePolicy, TokenListener)} does after its prefill. The
     * policy sees the decode steps only. The state is advanced in place, so the conversation can go on.
     */
    public GenerationResult generate(ResumeState state, long[] feedIds, GenerationOptions o, CachePolicy policy,
            TokenListener listener) {
        long start = System.nanoTime();
        float[] logits = feed(state, feedIds, o.positionPolicy());
        DecoderSpec s = model.spec();
        int[] perLayer = new int[s.layers()];
        Arrays.fill(perLayer, feedIds.length);
        double flops = s.layers() * s.layerPrefillFlops(feedIds.length);
        return decode(logits, state, feedIds.length, o, policy, listener, perLayer, flops, state.cache().bytes(),
                System.nanoTime() - start);
    }

    /** Runs n tokens at once through every layer on top of the state's cache; returns the last token's logits. */
    public float[] feed(ResumeState state, long[] ids, PositionPolicy positions) {
        if (ids == null || ids.length == 0) {
            throw new IllegalArgumentException("nothing to feed: pass at least one token id");
        }
        DecoderSpec s = model.spec();
        float[] x = model.embed(ids);
        int n = ids.length;
        for (int l = 0; l < s.layers(); l++) {
            LayerKv kv = state.cache().layer(l);
            long base = positions == PositionPolicy.OWN_CACHE_LENGTH ? kv.maxLength() : state.nextPosition();
            long[] pos = new long[n];
            for (int i = 0; i < n; i++) {
                pos[i] = base + i;
            }
            x = model.runLayer(l, x, n, pos, (int) (base + n), kv, null).hidden();
        }
        state.advance(n, false);
        return model.logits(Arrays.copyOfRange(x, x.length - s.hidden(), x.length));
    }

    /** One decode step: the token through every layer (with the policy's hooks); returns the next logits. */
    public float[] step(ResumeState state, long token, PositionPolicy positions, CachePolicy policy) {
        DecoderSpec s = model.spec();
        int step = state.steps();
        float[] h = model.embed(new long[] {token});
        for (int l = 0; l < s.layers(); l++) {
            LayerKv kv = state.cache().layer(l);
            long p = positions == PositionPolicy.OWN_CACHE_LENGTH ? kv.maxLength() : state.nextPosition();
            boolean probe = policy.probeDecode(l);
            LayerOutput out = model.runLayer(l, h, 1, new long[] {p}, (int) (p + 1), kv, probe ? new int[] {0} : null);
            policy.afterDecodeLayer(step, l, out.probs(), kv);
            h = out.hidden();
        }
        state.advance(1, true);
        policy.afterDecodeStep(step, state.cache(), state.tokensSeen());
        return model.logits(h);
    }

    private GenerationResult decode(float[] first, ResumeState state, int promptTokens, GenerationOptions o,
            CachePolicy policy, TokenListener listener, int[] perLayer, double flops, long kvAfterPrefill,
            long prefillNanos) {
        float[] logits = first;
        long start = System.nanoTime();
        Sampler sampler = new Sampler(o.temperature(), o.topP(), o.seed());
        long[] generated = new long[o.maxNewTokens()];
        int count = 0;
        String text = "";
        StopReason reason = StopReason.MAX_TOKENS;
        for (int step = 0; step < o.maxNewTokens(); step++) {
            long tok = sampler.next(logits);
            generated[count++] = tok;
            if (o.stopTokens().contains(tok)) {
                listener.onToken(tok, "");
                reason = StopReason.STOP_TOKEN;
                count--;
                break;
            }
            String full = tokenizer == null ? "" : tokenizer.decode(Arrays.copyOf(generated, count));
            int cut = stopAt(full, o);
            if (cut >= 0) {
                listener.onToken(tok, full.substring(Math.min(text.length(), cut), cut));
                text = full.substring(0, cut);
                reason = StopReason.STOP_STRING;
                break;
            }
            listener.onToken(tok, full.startsWith(text) ? full.substring(text.length()) : full);
            text = full;
            if (step == o.maxNewTokens() - 1) {
                break;
            }
            logits = step(state, tok, o.positionPolicy(), policy);
        }
        long[] tokens = Arrays.copyOf(generated, count);
        return new GenerationResult(text, tokens, promptTokens, reason, perLayer, flops, kvAfterPrefill,
                state.cache().bytes(), prefillNanos, System.nanoTime() - start, demo);
    }

    /** Where the first stop string starts in {@code text}, or -1 (shared with {@link BatchSequence}). */
    static int stopAt(String text, GenerationOptions o) {
        int best = -1;
        for (String s : o.stopStrings()) {
            int i = s.isEmpty() ? -1 : text.indexOf(s);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    static long max(long[] a) {
        long m = Long.MIN_VALUE;
        for (long v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
