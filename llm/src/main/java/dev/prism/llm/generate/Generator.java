package dev.prism.llm.generate;

import dev.prism.llm.checkpoint.TextTokenizer;
import dev.prism.llm.kv.KvCache;
import dev.prism.llm.kv.LayerKv;
import dev.prism.llm.model.DecoderSpec;
import java.util.Arrays;

/**
 * The generation loop: prefill layer by layer (policies may read attention and shorten the sequence
 * between layers), then token-by-token decode over the Java-owned KV cache, with greedy or
 * temperature/top-p sampling, stop tokens, stop strings, a token budget and streaming.
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

        start = System.nanoTime();
        Sampler sampler = new Sampler(o.temperature(), o.topP(), o.seed());
        long[] generated = new long[o.maxNewTokens()];
        int count = 0;
        String text = "";
        StopReason reason = StopReason.MAX_TOKENS;
        long nextPos = max(pos) + 1;
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
            float[] h = model.embed(new long[] {tok});
            for (int l = 0; l < s.layers(); l++) {
                LayerKv kv = cache.layer(l);
                long p = o.positionPolicy() == PositionPolicy.OWN_CACHE_LENGTH ? kv.maxLength() : nextPos;
                boolean probe = policy.probeDecode(l);
                LayerOutput out = model.runLayer(l, h, 1, new long[] {p}, (int) (p + 1), kv, probe ? new int[] {0} : null);
                policy.afterDecodeLayer(step, l, out.probs(), kv);
                h = out.hidden();
            }
            nextPos++;
            seen++;
            policy.afterDecodeStep(step, cache, seen);
            logits = model.logits(h);
        }
        long[] tokens = Arrays.copyOf(generated, count);
        return new GenerationResult(text, tokens, t, reason, perLayer, flops, kvAfterPrefill, cache.bytes(),
                prefillNanos, System.nanoTime() - start, demo);
    }

    private static int stopAt(String text, GenerationOptions o) {
        int best = -1;
        for (String s : o.stopStrings()) {
            int i = s.isEmpty() ? -1 : text.indexOf(s);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    private static long max(long[] a) {
        long m = Long.MIN_VALUE;
        for (long v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
