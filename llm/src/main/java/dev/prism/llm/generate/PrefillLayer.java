package dev.prism.llm.generate;

import dev.prism.llm.kv.LayerKv;

/**
 * The state a policy sees after one prefill layer. {@link #keepTokens} shortens the sequence the next
 * layers process (MustDrop Stage B, ALGORITHMS.md 1.2 steps 5-6); this layer's own cache keeps the
 * pre-prune set, as in the reference.
 */
public final class PrefillLayer {
    private final int layer;
    private final float[] hidden;
    private final long[] positions;
    private final int[] probeRows;
    private final float[][][] probs;
    private final LayerKv kv;
    private final int width;
    private int[] keep;
    private boolean renumber;

    PrefillLayer(int layer, float[] hidden, int width, long[] positions, int[] probeRows, float[][][] probs, LayerKv kv) {
        this.layer = layer;
        this.hidden = hidden;
        this.width = width;
        this.positions = positions;
        this.probeRows = probeRows;
        this.probs = probs;
        this.kv = kv;
    }

    public int layer() {
        return layer;
    }

    public int seqLen() {
        return positions.length;
    }

    public long[] positions() {
        return positions.clone();
    }

    /** The rows the policy asked for (null if none). */
    public int[] probeRows() {
        return probeRows == null ? null : probeRows.clone();
    }

    /** [heads][probeRows][seqLen]: attention of each probed query row over this layer's sequence. */
    public float[][][] probs() {
        return probs;
    }

    public LayerKv kv() {
        return kv;
    }

    /** Output hidden states [seqLen * hidden] (read-only by convention). */
    public float[] hidden() {
        return hidden;
    }

    /**
     * Keep only these sequence indices (ascending) for the following layers.
     *
     * @param renumberPositions true: the survivors take the first keep.length old positions (contiguous
     *                          renumbering, MustDrop 1.2 step 6); false: they keep their own positions
     */
    public void keepTokens(int[] indices, boolean renumberPositions) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= seqLen() || (i > 0 && indices[i] <= indices[i - 1])) {
                throw new IllegalArgumentException("keepTokens needs strictly increasing indices in 0.." + (seqLen() - 1)
                        + "; got " + indices[i] + " at " + i);
            }
        }
        if (indices.length == 0) {
            throw new IllegalArgumentException("keepTokens: at least one token must survive");
        }
        this.keep = indices.clone();
        this.renumber = renumberPositions;
    }

    int[] keep() {
        return keep;
    }

    float[] keptHidden() {
        float[] out = new float[keep.length * width];
        for (int i = 0; i < keep.length; i++) {
            System.arraycopy(hidden, keep[i] * width, out, i * width, width);
        }
        return out;
    }

    long[] keptPositions() {
        long[] out = new long[keep.length];
        for (int i = 0; i < keep.length; i++) {
            out[i] = renumber ? positions[i] : positions[keep[i]];
        }
        return out;
    }
}
