package dev.prism.codecs.quant;

/**
 * One codebook of {@code size} codewords of dimension {@code dim}, stored row-major in one array.
 * Nearest-neighbour search uses ALGORITHMS.md section 7.2's form: argmin ||r - e||^2 equals
 * argmax (r.e - ||e||^2 / 2), so half the squared norms are precomputed once and a search costs one
 * dot product per codeword.
 */
public final class Codebook {
    private final int size;
    private final int dim;
    private final float[] data;
    private final float[] halfNorms;

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
        refreshNorms();
    }

    /** Recomputes the cached norms after {@link #data()} was modified in place (codebook learning). */
    public void refreshNorms() {
        for (int k = 0; k < size; k++) {
            double s = 0;
            int base = k * dim;
            for (int d = 0; d < dim; d++) {
                s += (double) data[base + d] * data[base + d];
            }
            halfNorms[k] = (float) (0.5 * s);
        }
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
     * per codeword, with four independent partial sums so the adds pipeline (about 2.3 G
     * multiply-adds per CPU second on the shared build machine; a transposed saxpy layout and
     * cache blocking measured no faster there).
     */
    public int nearest(float[] x, int off) {
        int best = 0;
        float bestScore = Float.NEGATIVE_INFINITY;
        final float[] e = data;
        final int dim = this.dim;
        final int n4 = dim & ~3;
        for (int k = 0, base = 0; k < size; k++, base += dim) {
            float a0 = 0;
            float a1 = 0;
            float a2 = 0;
            float a3 = 0;
            int d = 0;
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
        for (int i = 0; i < count; i++) {
            out[outOff + i * outStride] = nearest(x, off + i * stride);
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
