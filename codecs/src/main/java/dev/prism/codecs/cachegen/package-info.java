/** CacheGen KV-cache encoding: layer-grouped per-token quantization, per-(layer, channel) CDFs, range coding, chunking, level selection, per-layer delta-vs-anchor with video token layouts and RoPE-turned key anchors (ALGORITHMS.md 4). */
package dev.prism.codecs.cachegen;
