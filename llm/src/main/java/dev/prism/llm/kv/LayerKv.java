package dev.prism.llm.kv;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * One decoder layer's keys and values, stored per KV head with its own length (PLPHP's ragged
 * per-head cache, ALGORITHMS.md 2.2; MustDrop's and Elastic Cache's per-layer caches are the case
 * where every head has the same length). Each entry keeps the RoPE position it was encoded at, so a
 * policy can evict, gather or merge without re-encoding (ALGORITHMS.md 1.3 / 3.5: existing keys keep
 * their phases).
 *
 * <p>Storage is one direct native-order buffer per K and V laid out [kvHeads, capacity, headDim]: the
 * decoder layer session reads it in place (no copy) with a mask hiding each head's unused tail, so
 * capacity grows in {@link #CHUNK}-entry steps and {@link #compact()} shrinks it after large drops.
 */
public final class LayerKv {
    public static final int CHUNK = 16;
    private final int kvHeads;
    private final int headDim;
    private int capacity;
    private FloatBuffer k;
    private FloatBuffer v;
    private final int[] length;
    private long[][] positions;

    public LayerKv(int kvHeads, int headDim) {
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.length = new int[kvHeads];
        this.positions = new long[kvHeads][CHUNK];
        allocate(CHUNK);
    }

    private void allocate(int cap) {
        FloatBuffer nk = direct(kvHeads * cap * headDim);
        FloatBuffer nv = direct(kvHeads * cap * headDim);
        for (int h = 0; h < kvHeads; h++) {
            int n = length[h] * headDim;
            for (int i = 0; i < n; i++) {
                nk.put(h * cap * headDim + i, k.get(h * capacity * headDim + i));
                nv.put(h * cap * headDim + i, v.get(h * capacity * headDim + i));
            }
            positions[h] = Arrays.copyOf(positions[h], cap);
        }
        k = nk;
        v = nv;
        capacity = cap;
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    public int kvHeads() {
        return kvHeads;
    }

    public int headDim() {
        return headDim;
    }

    public int capacity() {
        return capacity;
    }

    public int length(int head) {
        return length[head];
    }

    public int maxLength() {
        return Arrays.stream(length).max().orElse(0);
    }

    /** Keys buffer [kvHeads, capacity, headDim] (live view, position 0). */
    public FloatBuffer keys() {
        return k.duplicate().clear();
    }

    public FloatBuffer values() {
        return v.duplicate().clear();
    }

    public long position(int head, int index) {
        check(head, index);
        return positions[head][index];
    }

    public long[] positions(int head) {
        return Arrays.copyOf(positions[head], length[head]);
    }

    public float[] key(int head, int index) {
        check(head, index);
        float[] out = new float[headDim];
        k.get(offset(head, index), out);
        return out;
    }

    public float[] value(int head, int index) {
        check(head, index);
        float[] out = new float[headDim];
        v.get(offset(head, index), out);
        return out;
    }

    private int offset(int head, int index) {
        return (head * capacity + index) * headDim;
    }

    private void check(int head, int index) {
        if (head < 0 || head >= kvHeads || index < 0 || index >= length[head]) {
            throw new IndexOutOfBoundsException("KV entry (head " + head + ", index " + index + ") outside head length "
                    + (head >= 0 && head < kvHeads ? length[head] : -1));
        }
    }

    /** Makes room for n more entries in every head (keeps contents). */
    public void reserve(int n) {
        int need = maxLength() + n;
        if (need > capacity) {
            allocate((need + CHUNK - 1) / CHUNK * CHUNK);
        }
    }

    /**
     * Appends t new entries per head: kNew/vNew laid [kvHeads, t, headDim] (the decoder layer's k_new and
     * v_new outputs), with the RoPE positions they were encoded at.
     */
    public void append(FloatBuffer kNew, FloatBuffer vNew, int t, long[] pos) {
        reserve(t);
        for (int h = 0; h < kvHeads; h++) {
            for (int i = 0; i < t; i++) {
                int dst = offset(h, length[h] + i);
                int src = (h * t + i) * headDim;
                for (int e = 0; e < headDim; e++) {
                    k.put(dst + e, kNew.get(src + e));
                    v.put(dst + e, vNew.get(src + e));
                }
                positions[h][length[h] + i] = pos[i];
            }
            length[h] += t;
        }
    }

    /** Keeps only the listed entries of one head, in the given order (indices into the current entries). */
    public void gather(int head, int[] keep) {
        int n = keep.length;
        float[] nk = new float[n * headDim];
        float[] nv = new float[n * headDim];
        long[] np = new long[n];
        for (int i = 0; i < n; i++) {
            check(head, keep[i]);
            k.get(offset(head, keep[i]), nk, i * headDim, headDim);
            v.get(offset(head, keep[i]), nv, i * headDim, headDim);
            np[i] = positions[head][keep[i]];
        }
        k.put(offset(head, 0), nk);
        v.put(offset(head, 0), nv);
        System.arraycopy(np, 0, positions[head], 0, n);
        length[head] = n;
    }

    /** Gathers the same indices in every head. */
    public void gather(int[] keep) {
        for (int h = 0; h < kvHeads; h++) {
            gather(h, keep);
        }
    }

    /** Removes the listed entries of one head; order of the rest is preserved. */
    public void drop(int head, int[] indices) {
        boolean[] gone = new boolean[length[head]];
        for (int i : indices) {
            check(head, i);
            gone[i] = true;
        }
        int[] keep = new int[length[head]];
        int n = 0;
        for (int i = 0; i < gone.length; i++) {
            if (!gone[i]) {
                keep[n++] = i;
            }
        }
        gather(head, Arrays.copyOf(keep, n));
    }

    public void drop(int[] indices) {
        for (int h = 0; h < kvHeads; h++) {
            drop(h, indices);
        }
    }

    /**
     * Merges groups in one head: anchors[g]'s K and V become the unweighted mean of itself and
     * members[g] (Elastic Cache's scatter-mean with the anchor included, ALGORITHMS.md 3.4 step 4);
     * then every member is removed. The anchor keeps its position.
     */
    public void merge(int head, int[] anchors, int[][] members) {
        if (anchors.length != members.length) {
            throw new IllegalArgumentException("merge: " + anchors.length + " anchors but " + members.length + " member groups");
        }
        int removed = 0;
        for (int[] m : members) {
            removed += m.length;
        }
        int[] drop = new int[removed];
        int r = 0;
        for (int g = 0; g < anchors.length; g++) {
            double[] sk = new double[headDim];
            double[] sv = new double[headDim];
            float[] ka = key(head, anchors[g]);
            float[] va = value(head, anchors[g]);
            for (int e = 0; e < headDim; e++) {
                sk[e] = ka[e];
                sv[e] = va[e];
            }
            for (int m : members[g]) {
                float[] km = key(head, m);
                float[] vm = value(head, m);
                for (int e = 0; e < headDim; e++) {
                    sk[e] += km[e];
                    sv[e] += vm[e];
                }
                drop[r++] = m;
            }
            int cnt = members[g].length + 1;
            int off = offset(head, anchors[g]);
            for (int e = 0; e < headDim; e++) {
                k.put(off + e, (float) (sk[e] / cnt));
                v.put(off + e, (float) (sv[e] / cnt));
            }
        }
        drop(head, drop);
    }

    public void merge(int[] anchors, int[][] members) {
        for (int h = 0; h < kvHeads; h++) {
            merge(h, anchors, members);
        }
    }

    /** Overwrites one entry (for quantise/dequantise round trips and custom policies). */
    public void replace(int head, int index, float[] key, float[] value) {
        check(head, index);
        if (key.length != headDim || value.length != headDim) {
            throw new IllegalArgumentException("replace: vectors must have headDim " + headDim + " values");
        }
        k.put(offset(head, index), key);
        v.put(offset(head, index), value);
    }

    /** Shrinks capacity to the longest head rounded up to a chunk (after large drops). */
    public void compact() {
        int cap = Math.max(CHUNK, (maxLength() + CHUNK - 1) / CHUNK * CHUNK);
        if (cap < capacity) {
            allocate(cap);
        }
    }

    /** Bytes the live entries occupy at float32 (K and V). */
    public long bytes() {
        long n = 0;
        for (int l : length) {
            n += l;
        }
        return n * headDim * 2L * Float.BYTES;
    }

    /**
     * Additive attention mask [kvHeads, t, capacity + t] for t new tokens: 0 for each head's live entries
     * and for new tokens at or before the query (causal), -1e9 for the padding tail and the future.
     */
    public float[] mask(int t) {
        int cols = capacity + t;
        float[] m = new float[kvHeads * t * cols];
        Arrays.fill(m, -1e9f);
        for (int h = 0; h < kvHeads; h++) {
            for (int q = 0; q < t; q++) {
                int row = (h * t + q) * cols;
                Arrays.fill(m, row, row + length[h], 0f);
                Arrays.fill(m, row + capacity, row + capacity + q + 1, 0f);
            }
        }
        return m;
    }
}
