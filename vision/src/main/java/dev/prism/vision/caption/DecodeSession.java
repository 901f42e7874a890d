package dev.prism.vision.caption;

import dev.prism.llm.generate.CachePolicy;
import dev.prism.llm.generate.DecoderModel;
import dev.prism.llm.generate.LayerOutput;
import dev.prism.llm.generate.PositionPolicy;
import dev.prism.llm.generate.GenerationOptions;
import dev.prism.llm.generate.GenerationResult;
import dev.prism.llm.generate.Generator;
import dev.prism.llm.generate.TokenListener;
import dev.prism.llm.kv.KvCache;
import dev.prism.llm.kv.LayerKv;
import dev.prism.llm.model.DecoderSpec;
import java.util.Arrays;
import java.util.Set;
import java.util.function.IntToLongFunction;

/**
 * One conversation's decoder state: the Java-owned KV cache plus the position counter, driven layer by layer through
 * the runtime's {@link DecoderModel} with the runtime's {@link CachePolicy} hooks: the prefill is the runtime's own, the
 * decode steps repeat the runtime's step in the same order (so with no policy the greedy tokens are the runtime's, bit for bit). Unlike that loop it
 * can start from a restored cache ({@link #resume}), feed several tokens at once into an existing cache
 * ({@link #feed}, for follow-up questions) and force tokens while recording every step's logits (teacher forcing, for
 * the fidelity benchmark).
 */
final class DecodeSession {
    /** Per-layer prefill lengths and the FLOPs estimate (DecoderSpec.layerPrefillFlops). */
    record Prefill(int[] tokensPerLayer, double flops, long nanos) {
    }

    /** A greedy (or forced) run: every sampled id (the last one is not in the cache yet) and the chosen logits. */
    record Run(long[] sampled, boolean stopped, float[][] logits, long nanos, int steps) {
    }

    private final DecoderModel model;
    private KvCache cache;
    private final CachePolicy policy;
    private final PositionPolicy positions;
    private long nextPos;
    private long seen;
    private int step;

    private DecodeSession(DecoderModel model, KvCache cache, CachePolicy policy, PositionPolicy positions, long nextPos,
            long seen) {
        this.model = model;
        this.cache = cache;
        this.policy = policy;
        this.positions = positions;
        this.nextPos = nextPos;
        this.seen = seen;
    }

    /** A new conversation; the cache is the runtime's, taken over from the bridge after {@link #prefill}. */
    static DecodeSession fresh(DecoderModel model, PolicyBridge policy, PositionPolicy positions) {
        return new DecodeSession(model, null, policy, positions, 0, 0);
    }

    /** Continues from a restored cache with no policy (follow-up questions run on the cache as stored). */
    static DecodeSession resume(DecoderModel model, KvCache cache, PositionPolicy positions, long nextPos, long seen) {
        return new DecodeSession(model, cache, CachePolicy.NONE, positions, nextPos, seen);
    }

    KvCache cache() {
        return cache;
    }

    long nextPosition() {
        return nextPos;
    }

    long tokensSeen() {
        return seen;
    }

    /**
     * The prompt pass through the runtime's own prefill ({@link Generator} with a one-token budget, so nothing is fed
     * back); the bridge keeps the last layer's last row, whose logits are the first decode distribution.
     */
    float[] prefill(float[] embeds, int t, Prefill[] out) {
        CaptionException.check(policy instanceof PolicyBridge, "internal: a fresh session needs a PolicyBridge");
        PolicyBridge bridge = (PolicyBridge) policy;
        GenerationResult r = new Generator(model, null, false).generate(embeds, t, GenerationOptions.greedy(1), bridge,
                TokenListener.NONE);
        cache = bridge.cache();
        seen = t;
        nextPos = bridge.finalSequenceLength(t);
        // prefillNanos already includes the runtime's own LM-head call on this row
        out[0] = new Prefill(r.prefillTokensPerLayer(), r.prefillFlops(), r.prefillNanos());
        return model.logits(bridge.lastHidden());
    }

    /** One decode step for a sampled token; returns the next logits. Mirrors the runtime's decode step. */
    float[] step(long token) {
        float[] h = model.embed(new long[] {token});
        for (int l = 0; l < model.spec().layers(); l++) {
            LayerKv kv = cache.layer(l);
            long p = positions == PositionPolicy.OWN_CACHE_LENGTH ? kv.maxLength() : nextPos;
            boolean probe = policy.probeDecode(l);
            LayerOutput o = model.runLayer(l, h, 1, new long[] {p}, (int) (p + 1), kv, probe ? new int[] {0} : null);
            policy.afterDecodeLayer(step, l, o.probs(), kv);
            h = o.hidden();
        }
        nextPos++;
        seen++;
        policy.afterDecodeStep(step, cache, seen);
        step++;
        return model.logits(h);
    }

    /** Feeds n tokens at once into the existing cache (no policy); returns the logits of the last one. */
    float[] feed(long[] ids) {
        CaptionException.check(ids.length > 0, "nothing to feed: the follow-up question is empty");
        DecoderSpec s = model.spec();
        float[] x = model.embed(ids);
        int n = ids.length;
        for (int l = 0; l < s.layers(); l++) {
            LayerKv kv = cache.layer(l);
            long base = positions == PositionPolicy.OWN_CACHE_LENGTH ? kv.maxLength() : nextPos;
            long[] pos = new long[n];
            for (int i = 0; i < n; i++) {
                pos[i] = base + i;
            }
            x = model.runLayer(l, x, n, pos, (int) (base + n), kv, null).hidden();
        }
        nextPos += n;
        seen += n;
        return model.logits(Arrays.copyOfRange(x, x.length - s.hidden(), x.length));
    }

    /**
     * Greedy decoding from the given logits, as the runtime does it: a stop token ends the run without being fed, the
     * last token of the budget is not fed either.
     *
     * @param forced  if non-null, the token to take at step i instead of the argmax (teacher forcing); its length caps the run
     * @param keepLogits whether to return every step's logits
     */
    Run greedy(float[] logits, int maxNew, Set<Long> stops, IntToLongFunction forced, int forcedLength,
            boolean keepLogits) {
        long start = System.nanoTime();
        int limit = forced == null ? maxNew : Math.min(maxNew, forcedLength);
        long[] ids = new long[limit];
        float[][] kept = keepLogits ? new float[limit][] : null;
        int count = 0;
        boolean stopped = false;
        int steps = 0;
        float[] cur = logits;
        for (int i = 0; i < limit; i++) {
            long tok = forced == null ? argmax(cur) : forced.applyAsLong(i);
            if (keepLogits) {
                kept[i] = cur;
            }
            ids[count++] = tok;
            if (stops.contains(tok)) {
                stopped = true;
                break;
            }
            if (i == limit - 1) {
                break;
            }
            cur = step(tok);
            steps++;
        }
        return new Run(Arrays.copyOf(ids, count), stopped, keepLogits ? Arrays.copyOf(kept, count) : null,
                System.nanoTime() - start, steps);
    }

    /** Argmax with the lowest id on ties, as the runtime's sampler. */
    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
