package dev.prism.llm.generate;

import dev.prism.llm.checkpoint.TextTokenizer;
import dev.prism.llm.kv.KvCache;
import dev.prism.llm.kv.LayerKv;
import dev.prism.llm.model.DecoderSpec;
import java.util.Arrays;

/**
 * One sequence of a batch: its own KV cache, policy, sampler and stop handling, stepped by
 * {@link BatchGenerator} one layer at a time. Every decision mirrors {@link Generator#generate} so a
 * sequence run in a batch produces what it would produce alone.
 */
final class BatchSequence {
    final int index;
    private final DecoderSpec spec;
    private final TextTokenizer tokenizer;
    private final GenerationOptions o;
    private final CachePolicy policy;
    private final TokenListener listener;
    private final KvCache cache;
    private final Sampler sampler;
    private final int promptTokens;
    private final int[] perLayer;
    private final long[] generated;
    private boolean prefill = true;
    private float[] x;
    private long[] pos;
    private int[] probe;
    private double flops;
    private long seen;
    private long nextPos;
    private int count;
    private String text = "";
    private StopReason reason = StopReason.MAX_TOKENS;
    private long start;
    private long prefillNanos;
    private long kvAfterPrefill;
    private long decodeStart;

    BatchSequence(int index, DecoderSpec spec, TextTokenizer tokenizer, BatchRequest r, float[] embeds) {
        this.index = index;
        this.spec = spec;
        this.tokenizer = tokenizer;
        this.o = r.options();
        this.policy = r.policy();
        this.listener = r.listener();
        this.cache = new KvCache(spec.layers(), spec.kvHeads(), spec.headDim());
        this.sampler = new Sampler(o.temperature(), o.topP(), o.seed());
        this.promptTokens = r.tokens();
        this.perLayer = new int[spec.layers()];
        this.generated = new long[o.maxNewTokens()];
        this.x = embeds;
        this.pos = new long[promptTokens];
        for (int i = 0; i < promptTokens; i++) {
            pos[i] = i;
        }
        this.start = System.nanoTime();
    }

    /** This sequence's share of layer l's run. */
    RaggedLayerRun.Part part(int l) {
        LayerKv kv = cache.layer(l);
        if (prefill) {
            int n = pos.length;
            perLayer[l] = n;
            flops += spec.layerPrefillFlops(n);
            probe = policy.prefillProbeRows(l, n);
            return new RaggedLayerRun.Part(x, n, pos, (int) (Generator.max(pos) + 1), kv, probe);
        }
        long p = o.positionPolicy() == PositionPolicy.OWN_CACHE_LENGTH ? kv.maxLength() : nextPos;
        probe = policy.probeDecode(l) ? new int[] {0} : null;
        return new RaggedLayerRun.Part(x, 1, new long[] {p}, (int) (p + 1), kv, probe);
    }

    /** Hands layer l's output to the policy and keeps the hidden rows for the next layer. */
    void after(int l, LayerOutput out) {
        if (prefill) {
            PrefillLayer ctx = new PrefillLayer(l, out.hidden(), spec.hidden(), pos, probe, out.probs(), cache.layer(l));
            policy.afterPrefillLayer(ctx);
            if (ctx.keep() != null) {
                x = ctx.keptHidden();
                pos = ctx.keptPositions();
            } else {
                x = out.hidden();
            }
        } else {
            policy.afterDecodeLayer(count - 1, l, out.probs(), cache.layer(l));
            x = out.hidden();
        }
    }

    /** Ends a pass through all layers; returns the last hidden row for the LM head. */
    float[] endPass() {
        if (prefill) {
            seen = promptTokens;
            policy.afterPrefill(cache, seen);
            kvAfterPrefill = cache.bytes();
            nextPos = Generator.max(pos) + 1;
            prefillNanos = System.nanoTime() - start;
            decodeStart = System.nanoTime();
            prefill = false;
        } else {
            nextPos++;
            seen++;
            policy.afterDecodeStep(count - 1, cache, seen);
        }
        return Arrays.copyOfRange(x, x.length - spec.hidden(), x.length);
    }

    /** Whether the sequence may produce another token (false when the budget is zero). */
    boolean wantsToken() {
        return count < o.maxNewTokens() && reason == StopReason.MAX_TOKENS;
    }

    /**
     * Picks the next token from logits [vocab], streams it and applies the stop rules.
     *
     * @return the token to feed to the next decode step, or -1 when the sequence is finished
     */
    long accept(float[] logits) {
        long tok = sampler.next(logits);
        generated[count++] = tok;
        if (o.stopTokens().contains(tok)) {
            listener.onToken(tok, "");
            reason = StopReason.STOP_TOKEN;
            count--;
            return -1;
        }
        String full = tokenizer == null ? "" : tokenizer.decode(Arrays.copyOf(generated, count));
        int cut = Generator.stopAt(full, o);
        if (cut >= 0) {
            listener.onToken(tok, full.substring(Math.min(text.length(), cut), cut));
            text = full.substring(0, cut);
            reason = StopReason.STOP_STRING;
            return -1;
        }
        listener.onToken(tok, full.startsWith(text) ? full.substring(text.length()) : full);
        text = full;
        return count == o.maxNewTokens() ? -1 : tok;
    }

    /** The embedding of the accepted token becomes the next pass's input. */
    void feed(float[] embedding) {
        x = embedding;
    }

    GenerationResult result(boolean demo) {
        return new GenerationResult(text, Arrays.copyOf(generated, count), promptTokens, reason, perLayer, flops,
                kvAfterPrefill, cache.bytes(), prefillNanos, System.nanoTime() - decodeStart, demo);
    }
}
