package dev.prism.codecs.quant;

/**
 * One codebook of {@code size} codewords of dimension {@code dim}, stored row-major in one array.
 * Nearest-neighbour search uses ALGORITHMS.md section 7.2's form: argmin ||r - e||^2 equals
 * argmax (r.e - ||e||^2 / 2), so half the squared norms are precomputed once and a search costs one
 * dot product per codeword.
 *
 * <p>Exact pruning: the dot product is split into a head (the first {@link #headDims()} dimensions)
 * and a tail bounded by Cauchy-Schwarz, r.e <= r_head.e_head + |r_tail| |e_tail|. A codeword whose
 * bound (plus a rounding margin) cannot beat the best score so far skips its tail. Latents whose
 * energy sits in the first dimensions (the MDCT latent: low frequencies first, perceptually
 * weighted) skip 94-99 % of the tails, about 4-8x fewer multiply-adds (the heads are also kept
 * packed in one array, so the pass over all codewords reads contiguous memory); the chosen index is
 * identical to the exhaustive search's, because unskipped scores use the same arithmetic and
 * skipped ones are provably lower.
 */
public final class Codebook {
    private final int size;
    private final int dim;
    private final float[] data;
    private final float[] halfNorms;
    private final float[] tailNorms;
    private final float[] restNorms;   // norm of dims [FIRST, dim): the first, cheaper bound
    private final float[] norms;
    private final int head;
    private final float[] heads;   // the first head dims of every codeword, packed: the pass that touches all rows

    /** Takes ownership of {@code data} ({@code size * dim} floats, row-major). */
    public Codebook(int size, int dim, float[] data) {
        if (size < 1 || dim < 1 || data.length != (long) size * dim) {
            throw new IllegalArgumentException("codebook needs size*dim floats; got size=" + size + " dim=" + dim
                    + " data=" + data.length);
        }
        this.size = size;
        this.dim = dim;
        this.data = data;
        this.halfNorms = new float[size];
        this.tailNorms = new float[size];
        this.restNorms = new float[size];
        this.norms = new float[size];
        // A head of 32 (16 for short vectors) dims measured best on MDCT residuals; below 48 dims no pruning.
        this.head = dim >= 128 ? 32 : dim >= 48 ? 16 : 0;
        this.heads = new float[size * head];
        refreshNorms();
    }

    /** Recomputes the cached norms after {@link #data()} was modified in place (codebook learning). */
    public void refreshNorms() {
        for (int k = 0; k < size; k++) {
            double s = 0;
            double t = 0;
            double rest = 0;
            int base = k * dim;
            for (int d = 0; d < dim; d++) {
                double v = (double) data[base + d] * data[base + d];
                s += v;
                if (d >= head) {
                    t += v;
                }
                if (d >= FIRST) {
                    rest += v;
                }
            }
            restNorms[k] = (float) Math.sqrt(rest);
            halfNorms[k] = (float) (0.5 * s);
            norms[k] = (float) Math.sqrt(s);
            tailNorms[k] = (float) Math.sqrt(t);
            System.arraycopy(data, base, heads, k * head, head);
        }
    }

    /** Dimensions multiplied before the first, looser bound is tried (when the head is longer). */
    private static final int FIRST = 8;

    /** Dimensions always multiplied before the tail bound is tried (0: no pruning). */
    public int headDims() {
        return head;
    }

    public int size() {
        return size;
    }

    public int dim() {
        return dim;
    }

    /** The row-major codeword array (live, not a copy). */
    public float[] data() {
        return data;
    }

    /**
     * Index of the codeword nearest (squared Euclidean) to {@code x[off .. off+dim)}: one dot product
     * per codeword with four independent partial sums so the adds pipeline, the tail skipped where
     * the Cauchy-Schwarz bound rules the codeword out (see the class comment).
     */
    public int nearest(float[] x, int off) {
        return nearest(x, off, -1);
    }

    /**
     * The same search starting from a likely answer (e.g. the previous frame's index): its score
     * becomes the bar the bounds must beat from the first codeword on, so more tails are skipped.
     * The result does not depend on the hint: ties still go to the lowest index.
     *
     * @param hint a codeword index to try first, or -1
     */
    public int nearest(float[] x, int off, int hint) {
        final float[] e = data;
        final int dim = this.dim;
        final int n4 = dim & ~3;
        final int h = head;
        double rt = 0;
        double rr = 0;
        double rs = 0;
        for (int d = 0; d < dim; d++) {
            double v = (double) x[off + d] * x[off + d];
            rr += v;
            if (d >= h) {
                rt += v;
            }
            if (d >= FIRST) {
                rs += v;
            }
        }
        final float rTail = (float) Math.sqrt(rt);
        final float rRest = (float) Math.sqrt(rs);
        final int first = h > FIRST ? FIRST : 0;
        // Float rounding of the head sum and of the full score stays far below 1e-4 of |r||e|.
        final float slack = (float) (1e-4 * Math.sqrt(rr));
        int best = 0;
        float bestScore = Float.NEGATIVE_INFINITY;
        if (hint >= 0 && hint < size) {
            best = hint;
            bestScore = score(x, off, hint);
        }
        final float[] hd = heads;
        for (int k = 0, base = 0, hb = 0; k < size; k++, base += dim, hb += h) {
            if (k == hint) {
                continue;
            }
            float a0 = 0;
            float a1 = 0;
            float a2 = 0;
            float a3 = 0;
            int d = 0;
            if (first > 0) {
                for (; d < first; d += 4) {
                    a0 += x[off + d] * hd[hb + d];
                    a1 += x[off + d + 1] * hd[hb + d + 1];
                    a2 += x[off + d + 2] * hd[hb + d + 2];
                    a3 += x[off + d + 3] * hd[hb + d + 3];
                }
                float bound = (a0 + a1) + (a2 + a3) + rRest * restNorms[k] - halfNorms[k] + slack * (norms[k] + 1f);
                if (bound < bestScore || (bound == bestScore && k > best)) {
                    continue;
                }
            }
            for (; d < h; d += 4) {
                a0 += x[off + d] * hd[hb + d];
                a1 += x[off + d + 1] * hd[hb + d + 1];
                a2 += x[off + d + 2] * hd[hb + d + 2];
                a3 += x[off + d + 3] * hd[hb + d + 3];
            }
            if (h > 0) {
                float bound = (a0 + a1) + (a2 + a3) + rTail * tailNorms[k] - halfNorms[k] + slack * (norms[k] + 1f);
                if (bound < bestScore || (bound == bestScore && k > best)) {
                    continue;
                }
            }
            for (; d < n4; d += 4) {
                a0 += x[off + d] * e[base + d];
                a1 += x[off + d + 1] * e[base + d + 1];
                a2 += x[off + d + 2] * e[base + d + 2];
                a3 += x[off + d + 3] * e[base + d + 3];
            }
            for (; d < dim; d++) {
                a0 += x[off + d] * e[base + d];
            }
            float score = (a0 + a1) + (a2 + a3) - halfNorms[k];
            if (score > bestScore || (score == bestScore && k < best)) {
                bestScore = score;
                best = k;
            }
        }
        return best;
    }

    /** Score r.e_k - |e_k|^2 / 2 with exactly the arithmetic of the search loops. */
    private float score(float[] x, int off, int k) {
        final int n4 = dim & ~3;
        final int base = k * dim;
        float a0 = 0;
        float a1 = 0;
        float a2 = 0;
        float a3 = 0;
        int d = 0;
        for (; d < n4; d += 4) {
            a0 += x[off + d] * data[base + d];
            a1 += x[off + d + 1] * data[base + d + 1];
            a2 += x[off + d + 2] * data[base + d + 2];
            a3 += x[off + d + 3] * data[base + d + 3];
        }
        for (; d < dim; d++) {
            a0 += x[off + d] * data[base + d];
        }
        return (a0 + a1) + (a2 + a3) - halfNorms[k];
    }

    /** The same search without pruning: the reference the pruned search must agree with. */
    public int nearestExhaustive(float[] x, int off) {
        int best = 0;
        float bestScore = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < size; k++) {
            float score = score(x, off, k);
            if (score > bestScore) {
                bestScore = score;
                best = k;
            }
        }
        return best;
    }

    /**
     * Nearest codewords of {@code count} vectors stored at {@code x[off + i*stride]}, written to
     * {@code out[outOff + i*outStride]}; the same computation as {@link #nearest}, so results never
     * depend on how frames are batched.
     */
    public void nearestBatch(float[] x, int off, int stride, int count, int[] out, int outOff, int outStride) {
        // Consecutive frames often pick the same codeword: the previous answer is a cheap good start.
        int hint = -1;
        for (int i = 0; i < count; i++) {
            hint = nearest(x, off + i * stride, hint);
            out[outOff + i * outStride] = hint;
        }
    }

    /** {@code out[off..] += codeword(index)}. */
    public void addTo(int index, float[] out, int off) {
        int base = index * dim;
        for (int d = 0; d < dim; d++) {
            out[off + d] += data[base + d];
        }
    }

    /** {@code out[off..] -= codeword(index)}. */
    public void subtractFrom(int index, float[] out, int off) {
        int base = index * dim;
        for (int d = 0; d < dim; d++) {
            out[off + d] -= data[base + d];
        }
    }

    public Codebook copy() {
        return new Codebook(size, dim, data.clone());
    }
}
