package dev.prism.codecs.cachegen;

/**
 * A full KV cache as plain arrays: keys and values, each [layer][kvHead][token][headDim]. Channels are heads merged
 * with the head dimension (c = head * headDim + i), as CacheGen reshapes [T, H, d] to [T, C] (ALGORITHMS.md 4.1).
 */
public record KvCache(float[][][][] keys, float[][][][] values) {
    public KvCache {
        CacheGenShapes.check(keys, values);
    }

    public int layers() {
        return keys.length;
    }

    public int kvHeads() {
        return keys[0].length;
    }

    public int tokens() {
        return keys[0][0].length;
    }

    public int headDim() {
        return keys[0][0][0].length;
    }

    public int channels() {
        return kvHeads() * headDim();
    }

    /** A zero-filled cache of the given shape (the decoder's output buffer). */
    public static KvCache zeros(int layers, int kvHeads, int tokens, int headDim) {
        return new KvCache(new float[layers][kvHeads][tokens][headDim], new float[layers][kvHeads][tokens][headDim]);
    }

    /** Bytes at 16 bits per value (the fp16 baseline). */
    public long fp16Bytes() {
        return 2L * 2 * layers() * channels() * tokens();
    }
}
