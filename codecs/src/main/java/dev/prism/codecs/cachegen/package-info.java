/** CacheGen KV-cache encoding: layer-grouped per-token quantization, per-(layer, channel) CDFs, range coding, chunking and level selection (ALGORITHMS.md 4). */
package dev.prism.codecs.cachegen;
