package dev.prism.llm.generate;

import dev.prism.llm.kv.KvCache;

/**
 * Where a conversation stands between calls to {@link Generator}: the KV cache (owned by the caller, e.g. restored
 * from a CacheGen-coded context), the RoPE position the next token takes (under {@link PositionPolicy#NEXT_ABSOLUTE}),
 * the tokens seen so far (cache budgets such as Elastic Cache count them), and the decode steps already taken (cache
 * policies index their hooks by it). {@link Generator#step}, {@link Generator#feed} and the resuming
 * {@link Generator#generate(ResumeState, long[], GenerationOptions, CachePolicy, TokenListener)} advance it in place.
 */
public final class ResumeState {
    private final KvCache cache;
    private long nextPosition;
    private long tokensSeen;
    private int steps;

    public ResumeState(KvCache cache, long nextPosition, long tokensSeen) {
        if (cache == null || nextPosition < 0 || tokensSeen < 0) {
            throw new IllegalArgumentException("resume state needs a cache and non-negative position " + nextPosition
                    + " and tokens seen " + tokensSeen);
        }
        this.cache = cache;
        this.nextPosition = nextPosition;
        this.tokensSeen = tokensSeen;
    }

    public KvCache cache() {
        return cache;
    }

    public long nextPosition() {
        return nextPosition;
    }

    public long tokensSeen() {
        return tokensSeen;
    }

    /** Decode steps taken through {@link Generator#step} since this state was made. */
    public int steps() {
        return steps;
    }

    void advance(int tokens, boolean decodeStep) {
        nextPosition += tokens;
        tokensSeen += tokens;
        if (decodeStep) {
            steps++;
        }
    }
}
