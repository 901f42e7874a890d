package dev.prism.codecs.quant;

/**
 * One codebook of {@code size} codewords of dimension {@code dim}, stored row-major in one array.
 * Nearest-neighbour search uses ALGORITHMS.md section 7.2's form: argmin ||r - e||^2 equals
 * argmax (r.e - ||e||^2 / 2), so half the squared norms are precomputed once and a search costs one
 * dot product per codeword.
 *
 * <p>Exact pruning: the dot product is split into a head (the {@link #headDims()} dimensions where
 * the codewords hold the most energy) and a tail bounded by Cauchy-Schwarz,
 * r.e <= r_head.e_head + |r_tail| |e_tail|. The head bounds of all codewords are computed in one
 * vectorised pass; a codeword whose bound (plus a rounding margin) cannot beat the best score so
 * far is skipped, and a second bound halfway through the tail stops most of the rest early. The
 * chosen index is identical to the exhaustive search's, because unskipped scores use the same
 * arithmetic and skipped ones are provably lower.
 */
public final class Codebook {
    private final int size;
    private final int dim;
    private final float[] data;
    private final float[] halfNorms;
    private final float[] tailNorms;   // norm of dims [head, dim)
    private final float[] midNorms;    // norm of dims [mid, dim): the second bound, halfway through the tail
    private final float[] norms;
    private final int head;
    private final int mid;
    private final float[][] headT;   // headT[j][k] = codeword k's head dim j: one unit-stride row per dim, for the vector pass
    private final int[] headIdx;   // which dims form the head: the codebook's highest-energy ones, ascending

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
        this.midNorms = new float[size];
        this.norms = new float[size];
        // A head of 64 (16 for short vectors) dims measured best on MDCT residuals (GRVQ-8: 32 -> 64 took the
        // search from 83x to 107x real time per thread); below 48 dims no pruning.
        this.head = dim >= 128 ? 64 : dim >= 48 ? 16 : 0;
        this.mid = head + ((dim - head) / 2 & ~3);
        this.headT = new float[head][size];
        this.headIdx = new int[head];
        refreshNorms();
    }

    /** Recomputes the cached norms after {@link #data()} was modified in place (codebook learning). */
    public void refreshNorms() {
        chooseHead();
        boolean[] inHead = new boolean[dim];
        for (int d : headIdx) {
            inHead[d] = true;
        }
        for (int k = 0; k < size; k++) {
            double s = 0;
            double t = 0;
            double m = 0;
            int base = k * dim;
            for (int d = 0; d < dim; d++) {
                double v = (double) data[base + d] * data[base + d];
                s += v;
                if (!inHead[d]) {
                    t += v;
                }
                if (d >= mid) {
                    m += v;
                }
            }
            midNorms[k] = (float) Math.sqrt(m);
            halfNorms[k] = (float) (0.5 * s);
            norms[k] = (float) Math.sqrt(s);
            tailNorms[k] = (float) Math.sqrt(t);
            for (int j = 0; j < head; j++) {
                headT[j][k] = data[base + headIdx[j]];
            }
        }
    }

    /**
     * The head is the {@code head} dims where the codewords hold the most energy: the smaller the
     * tail norms, the tighter the bound. For the first MDCT group that is about the first dims; for
     * the second (upper-band) group and for late residual stages it is spread out.
     */
    private void chooseHead() {
        double[] energy = new double[dim];
        for (int k = 0; k < size; k++) {
            for (int d = 0; d < dim; d++) {
                energy[d] += (double) data[k * dim + d] * data[k * dim + d];
            }
        }
        Integer[] order = new Integer[dim];
        for (int d = 0; d < dim; d++) {
            order[d] = d;
        }
        java.util.Arrays.sort(order, (a, b) -> energy[a] != energy[b] ? Double.compare(energy[b], energy[a]) : a - b);
        for (int j = 0; j < head; j++) {
            headIdx[j] = order[j];
        }
        java.util.Arrays.sort(headIdx);
    }

    /** Dimensions in the head bound, computed for every codeword (0: no pruning, exhaustive search). */
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
     * Index of the codeword nearest (squared Euclidean) to {@code x[off .. off+dim)}; ties go to the
     * lowest index, exactly as {@link #nearestExhaustive}.
     */
    public int nearest(float[] x, int off) {
        return nearest(x, off, -1);
    }

    /**
     * The same search with a likely answer (e.g. the previous frame's index) scored first: it joins
     * the bar the bounds must beat from the first codeword on. The result does not depend on the
     * hint.
     *
     * @param hint a codeword index to try first, or -1
     */
    public int nearest(float[] x, int off, int hint) {
        return nearest(x, off, hint, new float[size]);
    }

    /**
     * The search with a caller-owned scratch array of {@code size} floats. Three passes: (1) the head
     * bound r_head.e_head + |r_tail||e_tail| - |e|^2/2 of every codeword at once, as one
     * multiply-add sweep over all codewords per head dim (the heads are stored transposed, so each
     * sweep is a unit-stride loop the JIT turns into vector instructions); (2) the codeword with the
     * best bound and the hint are scored exactly, which sets a high bar before the scan; (3) the scan,
     * where a codeword whose bound cannot beat the bar costs one comparison, and a survivor's full dot
     * product stops halfway through the tail when a second bound rules it out.
     */
    private int nearest(float[] x, int off, int hint, float[] bound) {
        final int h = head;
        if (h == 0) {
            return nearestExhaustive(x, off);
        }
        double rr = 0;
        double rm = 0;
        for (int d = 0; d < dim; d++) {
            double v = (double) x[off + d] * x[off + d];
            rr += v;
            if (d >= mid) {
                rm += v;
            }
        }
        double rh = 0;
        for (int j = 0; j < h; j++) {
            rh += (double) x[off + headIdx[j]] * x[off + headIdx[j]];
        }
        double rt = Math.max(0, rr - rh);
        final float rMid = (float) Math.sqrt(rm);
        // Float rounding of the partial sums and of the full score stays far below 1e-4 of |r||e|.
        final float slack = (float) (1e-4 * Math.sqrt(rr));
        headBounds(x, off, (float) Math.sqrt(rt), slack, bound);
        int guess = 0;
        for (int k = 1; k < size; k++) {
            if (bound[k] > bound[guess]) {
                guess = k;
            }
        }
        int best = guess;
        float bestScore = score(x, off, guess);
        if (hint >= 0 && hint < size && hint != guess) {
            float sh = score(x, off, hint);
            if (sh > bestScore || (sh == bestScore && hint < best)) {
                best = hint;
                bestScore = sh;
            }
        }
        final float[] e = data;
        final int m = mid;
        final int n4 = dim & ~3;
        for (int k = 0, base = 0; k < size; k++, base += dim) {
            float b = bound[k];
            if (b < bestScore || (b == bestScore && k > best) || k == guess || k == hint) {
                continue;
            }
            float a0 = 0;
            float a1 = 0;
            float a2 = 0;
            float a3 = 0;
            int d = 0;
            for (; d < m; d += 4) {
                a0 += x[off + d] * e[base + d];
                a1 += x[off + d + 1] * e[base + d + 1];
                a2 += x[off + d + 2] * e[base + d + 2];
                a3 += x[off + d + 3] * e[base + d + 3];
            }
            b = (a0 + a1) + (a2 + a3) + rMid * midNorms[k] - halfNorms[k] + slack * (norms[k] + 1f);
            if (b < bestScore || (b == bestScore && k > best)) {
                continue;
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

    /** {@code bound[k]} = r_head.e_k,head + |r_tail||e_k,tail| - |e_k|^2/2 + rounding slack, for every k. */
    private void headBounds(float[] x, int off, float rTail, float slack, float[] bound) {
        final int n = size;
        for (int k = 0; k < n; k++) {
            bound[k] = rTail * tailNorms[k] + slack * norms[k] + (slack - halfNorms[k]);
        }
        for (int j = 0; j < head; j++) {
            // A separate row array per dim (not one flat array at offset j * size): C2 vectorises this form.
            final float xj = x[off + headIdx[j]];
            final float[] row = headT[j];
            for (int k = 0; k < n; k++) {
                bound[k] += xj * row[k];
            }
        }
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
        float[] scratch = new float[size];
        for (int i = 0; i < count; i++) {
            hint = nearest(x, off + i * stride, hint, scratch);
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
