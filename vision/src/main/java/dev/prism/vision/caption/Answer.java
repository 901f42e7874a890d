package dev.prism.vision.caption;

/**
 * A follow-up answer.
 *
 * @param prefillNanos time to get the first answer distribution: decoding the context and feeding the caption's last
 *                     token and the question (from a context), or the full prefill (recompute)
 * @param fedTokens    tokens run through the decoder before the answer (question and pending, or the whole prompt)
 */
public record Answer(String text, long[] tokens, boolean demo, long prefillNanos, long decodeNanos, int fedTokens) {
}
