package dev.prism.llm.generate;

import dev.prism.llm.kv.KvCache;
import dev.prism.llm.kv.LayerKv;

/**
 * Where token pruning and KV-cache policies plug into the generation loop (MustDrop B/C, PLPHP,
 * Elastic Cache: ALGORITHMS.md 1.2-1.3, 2.2, 3.2-3.5). Every method has a do-nothing default, so a
 * policy overrides only the points it needs. Attention probabilities are computed only for the rows
 * a policy asks for.
 */
public interface CachePolicy {
    CachePolicy NONE = new CachePolicy() { };

    /** Query rows (indices into the current prefill sequence) whose attention this layer should return; null = none. */
    default int[] prefillProbeRows(int layer, int seqLen) {
        return null;
    }

    /** After each prefill layer: read its attention and cache, optionally shorten the sequence for later layers. */
    default void afterPrefillLayer(PrefillLayer layer) {
    }

    /** After the whole prefill: e.g. compose index maps and gather every layer's cache (MustDrop C, PLPHP). */
    default void afterPrefill(KvCache cache, long tokensSeen) {
    }

    /** Whether decode steps should return this layer's attention for the new token. */
    default boolean probeDecode(int layer) {
        return false;
    }

    /** After each layer of a decode step; probs is [heads][1][entries] when probeDecode(layer), else null. */
    default void afterDecodeLayer(int step, int layer, float[][][] probs, LayerKv kv) {
    }

    /** After each decode step (Elastic Cache's fixed-point eviction runs here). */
    default void afterDecodeStep(int step, KvCache cache, long tokensSeen) {
    }
}
