package dev.prism.codecs.cachegen;

/**
 * How a cache's tokens are grouped for delta-vs-anchor coding (ALGORITHMS.md 4.5): a video grid whose three numbers
 * travel in the container ({@link TokenOrder}), or explicit runs for any token set, kept by the caller
 * ({@link TokenRuns}).
 */
public sealed interface TokenLayout permits TokenOrder, TokenRuns {
}
