package dev.prism.vision.caption;

import dev.prism.llm.generate.CachePolicy;
import dev.prism.llm.generate.DecoderModel;
import dev.prism.llm.generate.PositionPolicy;
import dev.prism.llm.generate.GenerationOptions;
import dev.prism.llm.generate.GenerationResult;
import dev.prism.llm.generate.Generator;
import dev.prism.llm.generate.ResumeState;
import dev.prism.llm.generate.TokenListener;
import dev.prism.llm.kv.KvCache;
import java.util.Arrays;
import java.util.Set;
import java.util.function.IntToLongFunction;

/**
 * One conversation's decoder state: the Java-owned KV cache and positions ({@link ResumeState}), driven through the
 * runtime's {@link Generator}: the prefill is the runtime's own, each decode step and each multi-token feed is the
 * runtime's {@link Generator#step} / {@link Generator#feed} (so with no policy the greedy tokens are the runtime's, bit
 * for bit). What this class adds is the token loop for teacher forcing with every step's logits kept (the fidelity
 * benchmark) and one-step-at-a-time driving (paired decode timing); plain continuation of a restored context uses
 * the runtime's resuming {@code generate} directly ({@link Captioner#ask}).
 */
final class DecodeSession {
    /** Per-layer prefill lengths and the FLOPs estimate (DecoderSpec.layerPrefillFlops). */
    record Prefill(int[] tokensPerLayer, double flops, long nanos) {
    }

    /** A greedy (or forced) run: every sampled id (the last one is not in the cache yet) and the chosen logits. */
    record Run(long[] sampled, boolean stopped, float[][] logits, long nanos, int steps) {
    }

    private final DecoderModel model;
    private final Generator generator;
    private final CachePolicy policy;
    private final PositionPolicy positions;
    private ResumeState state;

    private DecodeSession(DecoderModel model, ResumeState state, CachePolicy policy, PositionPolicy positions) {
        this.model = model;
        this.generator = new Generator(model, null, false);
        this.state = state;
        this.policy = policy;
        this.positions = positions;
    }

    /** A new conversation; the cache is the runtime's, taken over from the bridge after {@link #prefill}. */
    static DecodeSession fresh(DecoderModel model, PolicyBridge policy, PositionPolicy positions) {
        return new DecodeSession(model, null, policy, positions);
    }

    /** Continues from a restored cache with no policy (follow-up questions run on the cache as stored). */
    static DecodeSession resume(DecoderModel model, KvCache cache, PositionPolicy positions, long nextPos, long seen) {
        return new DecodeSession(model, new ResumeState(cache, nextPos, seen), CachePolicy.NONE, positions);
    }

    KvCache cache() {
        return state.cache();
    }

    long nextPosition() {
        return state.nextPosition();
    }

    long tokensSeen() {
        return state.tokensSeen();
    }

    ResumeState state() {
        return state;
    }

    /**
     * The prompt pass through the runtime's own prefill ({@link Generator} with a one-token budget, so nothing is fed
     * back); the bridge keeps the last layer's last row, whose logits are the first decode distribution.
     */
    float[] prefill(float[] embeds, int t, Prefill[] out) {
        CaptionException.check(policy instanceof PolicyBridge, "internal: a fresh session needs a PolicyBridge");
        PolicyBridge bridge = (PolicyBridge) policy;
        GenerationResult r = generator.generate(embeds, t, GenerationOptions.greedy(1), bridge, TokenListener.NONE);
        state = new ResumeState(bridge.cache(), bridge.finalSequenceLength(t), t);
        // prefillNanos already includes the runtime's own LM-head call on this row
        out[0] = new Prefill(r.prefillTokensPerLayer(), r.prefillFlops(), r.prefillNanos());
        return model.logits(bridge.lastHidden());
    }

    /** One decode step for a sampled token; returns the next logits (the runtime's step). */
    float[] step(long token) {
        return generator.step(state, token, positions, policy);
    }

    /** Feeds n tokens at once into the existing cache (no policy); returns the logits of the last one. */
    float[] feed(long[] ids) {
        CaptionException.check(ids.length > 0, "nothing to feed: the follow-up question is empty");
        return generator.feed(state, ids, positions);
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
