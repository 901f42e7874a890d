package dev.prism.codecs.cachegen;

/**
 * How the symbols of a chunk are split into independently decodable range-coded sub-streams (at most
 * subStreamTokens tokens each, sharing the chunk's per-(layer, channel) CDFs).
 */
public enum StreamGranularity {
    /** One sub-stream per (layer, channel), as the reference's torchac encoder does; costs a flush per stream. */
    PER_CHANNEL,
    /**
     * One sub-stream per layer holding all its channels (token-major, each symbol coded with its channel's CDF): the
     * same model and symbols, far fewer flushes. The default; a Prism choice, since byte compatibility with torchac is
     * not needed.
     */
    PER_LAYER
}
