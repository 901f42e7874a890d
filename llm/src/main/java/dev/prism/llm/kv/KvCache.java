package dev.prism.llm.kv;

import java.util.ArrayList;
import java.util.List;

/** The KV cache of a whole decoder: one {@link LayerKv} per layer. */
public final class KvCache {
    private final List<LayerKv> layers = new ArrayList<>();

    public KvCache(int layers, int kvHeads, int headDim) {
        for (int i = 0; i < layers; i++) {
            this.layers.add(new LayerKv(kvHeads, headDim));
        }
    }

    public LayerKv layer(int i) {
        return layers.get(i);
    }

    public int layers() {
        return layers.size();
    }

    public long bytes() {
        return layers.stream().mapToLong(LayerKv::bytes).sum();
    }

    /** Entries per layer (max over heads). */
    public int[] lengths() {
        return layers.stream().mapToInt(LayerKv::maxLength).toArray();
    }

    public void compact() {
        layers.forEach(LayerKv::compact);
    }
}
