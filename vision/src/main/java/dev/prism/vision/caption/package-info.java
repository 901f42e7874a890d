/** Segment captioning on a VLM: pruned vision tokens (MustDrop A, temporal), pruned prefill and caches (MustDrop B/C, PLPHP, Elastic Cache), CacheGen contexts for follow-up questions. */
package dev.prism.vision.caption;
