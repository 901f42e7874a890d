package dev.prism.llm.kv;

import dev.prism.llm.model.RopeScaling;

/**
 * Undoes and redoes the rotate-half RoPE rotation of cached keys, so a KV codec can code keys before RoPE (as KVQuant
 * does): the rotation moves a key's phase with its position, which hides how similar the same image patch is from one
 * frame to the next (measured on the bench VLM: key correlation with the previous frame 0.02-0.11 after RoPE,
 * 0.84-0.96 before). The rotation is orthogonal per (i, i + d/2) pair, so a token's L2 error is the same in both
 * domains, while one value's error after re-rotation is at most sqrt(2) times the larger error of its pair.
 */
public final class PreRopeKeys {
    private PreRopeKeys() {
    }

    /** keys [head][token][headDim] rotated back in place; positions[token] as the model saw them. */
    public static void unrotate(float[][][] keys, long[] positions, RopeScaling rope, int seqLen) {
        apply(keys, positions, rope, seqLen, -1);
    }

    /** The inverse of {@link #unrotate}. */
    public static void rotate(float[][][] keys, long[] positions, RopeScaling rope, int seqLen) {
        apply(keys, positions, rope, seqLen, 1);
    }

    private static void apply(float[][][] keys, long[] positions, RopeScaling rope, int seqLen, int sign) {
        int d = keys[0][0].length;
        if (d != rope.headDim()) {
            throw new IllegalArgumentException("keys have head dimension " + d + " but the RoPE table is for "
                    + rope.headDim());
        }
        int half = d / 2;
        float[][] cs = rope.cosSin(positions, seqLen);
        for (float[][] head : keys) {
            if (head.length != positions.length) {
                throw new IllegalArgumentException(head.length + " keys but " + positions.length + " positions");
            }
            for (int t = 0; t < head.length; t++) {
                float[] k = head[t];
                for (int i = 0; i < half; i++) {
                    float c = cs[0][t * d + i];
                    float s = sign * cs[1][t * d + i];
                    float a = k[i];
                    float b = k[i + half];
                    k[i] = a * c - b * s;
                    k[i + half] = b * c + a * s;
                }
            }
        }
    }
}
