package dev.prism.ingest.segment;

/** How video is decoded. */
public enum DecodeMode {
  /** INDEXED for local files, SEQUENTIAL for network and live sources. */
  AUTO,
  /** One pass in order, FFmpeg's own threads; works for any source including live ones. */
  SEQUENTIAL,
  /**
   * Scan the keyframes first, then decode keyframe intervals concurrently (one context per worker)
   * and skip whole intervals, or the tails of intervals, holding no sampled frame.
   */
  INDEXED
}
