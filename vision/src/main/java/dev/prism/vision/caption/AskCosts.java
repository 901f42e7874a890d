package dev.prism.vision.caption;

/**
 * Measured costs of the two ask paths, for {@link AskPlanner}: CacheGen-decoding a context (per coded byte), feeding
 * tokens on top of a restored cache (per token) and prefilling a text context from scratch (per token). Each is an
 * exponential moving average of the asks this process answered (weight 0.3 for the newest); before the first
 * measurement of a kind, a starting value is used (the constructor's, which the lead may calibrate per machine).
 * Not thread-safe, like the captioner that owns it.
 */
public final class AskCosts {
    static final double WEIGHT = 0.3;
    private double decodeNsPerByte;
    private double feedNsPerToken;
    private double prefillNsPerToken;
    private int measured;

    public AskCosts(double decodeNsPerByte, double feedNsPerToken, double prefillNsPerToken) {
        CaptionException.check(decodeNsPerByte >= 0 && feedNsPerToken >= 0 && prefillNsPerToken >= 0,
                "ask cost starting values must be non-negative");
        this.decodeNsPerByte = decodeNsPerByte;
        this.feedNsPerToken = feedNsPerToken;
        this.prefillNsPerToken = prefillNsPerToken;
    }

    /** Starting values for a small model on a CPU core: 50 ns per coded byte, 2 ms per fed or prefilled token. */
    public static AskCosts defaults() {
        return new AskCosts(50, 2e6, 2e6);
    }

    /** Decode-from-cache estimate: decode the context, then feed {@code feedTokens}. */
    public double cacheMs(long contextBytes, int feedTokens) {
        return (contextBytes * decodeNsPerByte + feedTokens * feedNsPerToken) / 1e6;
    }

    public double textMs(int promptTokens) {
        return promptTokens * prefillNsPerToken / 1e6;
    }

    void recordCache(long contextBytes, long decodeNanos, int feedTokens, long feedNanos) {
        decodeNsPerByte = mix(decodeNsPerByte, decodeNanos / (double) Math.max(1, contextBytes), (measured & 1) == 0);
        feedNsPerToken = mix(feedNsPerToken, feedNanos / (double) Math.max(1, feedTokens), (measured & 1) == 0);
        measured |= 1;
    }

    void recordText(int promptTokens, long prefillNanos) {
        prefillNsPerToken = mix(prefillNsPerToken, prefillNanos / (double) Math.max(1, promptTokens),
                (measured & 2) == 0);
        measured |= 2;
    }

    private static double mix(double old, double now, boolean first) {
        return first ? now : (1 - WEIGHT) * old + WEIGHT * now;
    }

    @Override
    public String toString() {
        return String.format("AskCosts[decode %.1f ns/B, feed %.3f ms/token, prefill %.3f ms/token]", decodeNsPerByte,
                feedNsPerToken / 1e6, prefillNsPerToken / 1e6);
    }
}
