package dev.prism.llm.generate;

/**
 * One prompt of a {@link BatchGenerator} batch, with its own options (sampling seed, stop tokens and
 * strings, token budget), cache policy and listener. Policies often keep per-sequence state, so give
 * each request its own instance.
 *
 * @param ids    prompt token ids, or null when embeds are given
 * @param embeds prompt input embeddings [tokens * hidden] (vision tokens spliced in), or null when ids are given
 */
public record BatchRequest(long[] ids, float[] embeds, int tokens, GenerationOptions options, CachePolicy policy,
                           TokenListener listener) {
    public BatchRequest {
        if ((ids == null) == (embeds == null)) {
            throw new IllegalArgumentException("a batch request needs exactly one of prompt ids or prompt embeddings");
        }
        if (tokens <= 0 || (ids != null && ids.length != tokens)) {
            throw new IllegalArgumentException("a batch request needs a non-empty prompt; got " + tokens + " tokens");
        }
        if (options == null) {
            throw new IllegalArgumentException("a batch request needs generation options");
        }
        policy = policy == null ? CachePolicy.NONE : policy;
        listener = listener == null ? TokenListener.NONE : listener;
    }

    public static BatchRequest of(long[] ids, GenerationOptions o) {
        return new BatchRequest(ids, null, ids == null ? 0 : ids.length, o, CachePolicy.NONE, TokenListener.NONE);
    }

    public static BatchRequest of(long[] ids, GenerationOptions o, CachePolicy policy, TokenListener listener) {
        return new BatchRequest(ids, null, ids == null ? 0 : ids.length, o, policy, listener);
    }

    public static BatchRequest ofEmbeddings(float[] embeds, int tokens, GenerationOptions o, CachePolicy policy,
                                            TokenListener listener) {
        return new BatchRequest(null, embeds, tokens, o, policy, listener);
    }
}
