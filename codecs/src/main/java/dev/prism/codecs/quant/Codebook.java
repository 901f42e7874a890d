package dev.prism.codecs.quant;

/**
 * One codebook of {@code size} codewords of dimension {@code dim}, stored row-major in one array.
 * Nearest-neighbour search uses ALGORITHMS.md section 7.2's form: argmin ||r - e||^2 equals
 * argmax (r.e - ||e||^2 / 2), so half the squared norms are precomputed once and a search costs one
 * dot product per codeword. Batched search ({@link #nearestBatch}) scores four vectors per pass
 * over the codebook: four independent accumulators keep the pipeline busy and the codebook is read
 * from memory a quarter as often.
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

    /** Index of the codeword nearest (squared Euclidean) to {@code x[off .. off+dim)}. */
    public int nearest(float[] x, int off) {
        int best = 0;
        float bestScore = Float.NEGATIVE_INFINITY;
        final float[] e = data;
        final int dim = this.dim;
        for (int k = 0, base = 0; k < size; k++, base += dim) {
            // Same summation order as nearest4, so single and batched search agree bit for bit.
            float a = 0;
            for (int d = 0; d < dim; d++) {
                a += x[off + d] * e[base + d];
            }
            float score = a - halfNorms[k];
            if (score > bestScore) {
                bestScore = score;
                best = k;
            }
        }
        return best;
    }

    /**
     * Nearest codewords of {@code count} vectors stored at {@code x[off + i*stride]}, written to
     * {@code out[outOff + i*outStride]}. Four vectors share each pass over the codebook, so a
     * codebook larger than the cache (1024 x 320 floats is 1.3 MB) is streamed a quarter as often;
     * results are identical to {@link #nearest}.
     */
    public void nearestBatch(float[] x, int off, int stride, int count, int[] out, int outOff, int outStride) {
        int i = 0;
        for (; i + 4 <= count; i += 4) {
            nearest4(x, off + i * stride, stride, out, outOff + i * outStride, outStride);
        }
        for (; i < count; i++) {
            out[outOff + i * outStride] = nearest(x, off + i * stride);
        }
    }

    private void nearest4(float[] x, int o0, int stride, int[] out, int outOff, int outStride) {
        final int o1 = o0 + stride;
        final int o2 = o1 + stride;
        final int o3 = o2 + stride;
        final float[] e = data;
        final int dim = this.dim;
        int b0 = 0;
        int b1 = 0;
        int b2 = 0;
        int b3 = 0;
        float s0 = Float.NEGATIVE_INFINITY;
        float s1 = Float.NEGATIVE_INFINITY;
        float s2 = Float.NEGATIVE_INFINITY;
        float s3 = Float.NEGATIVE_INFINITY;
        for (int k = 0, base = 0; k < size; k++, base += dim) {
            float a0 = 0;
            float a1 = 0;
            float a2 = 0;
            float a3 = 0;
            for (int d = 0; d < dim; d++) {
                float ev = e[base + d];
                a0 += x[o0 + d] * ev;
                a1 += x[o1 + d] * ev;
                a2 += x[o2 + d] * ev;
                a3 += x[o3 + d] * ev;
            }
            float h = halfNorms[k];
            // Strict '>' keeps the first minimum, matching nearest() tie-breaking.
            if (a0 - h > s0) {
                s0 = a0 - h;
                b0 = k;
            }
            if (a1 - h > s1) {
                s1 = a1 - h;
                b1 = k;
            }
            if (a2 - h > s2) {
                s2 = a2 - h;
                b2 = k;
            }
            if (a3 - h > s3) {
                s3 = a3 - h;
                b3 = k;
            }
        }
        out[outOff] = b0;
        out[outOff + outStride] = b1;
        out[outOff + 2 * outStride] = b2;
        out[outOff + 3 * outStride] = b3;
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
