package dev.prism.codecs.quant;

import java.util.List;

/**
 * EnCodec residual vector quantization (ALGORITHMS.md 7.2): r = x; for each stage k,
 * i_k = argmin ||r - e||^2 over codebook k, r -= e_{i_k}. Decode sums the looked-up codewords.
 * Bandwidth selection (7.1, 6.2) keeps the first n_q stages.
 */
public final class ResidualVectorQuantizer implements VectorQuantizer {
    private final Codebook[] stages;
    private final QuantizerLayout layout;

    public ResidualVectorQuantizer(List<Codebook> stages) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("RVQ needs at least one codebook");
        }
        this.stages = stages.toArray(new Codebook[0]);
        int dim = this.stages[0].dim();
        int size = this.stages[0].size();
        for (Codebook c : this.stages) {
            if (c.dim() != dim || c.size() != size) {
                throw new IllegalArgumentException("all RVQ codebooks must share size and dim");
            }
        }
        if (Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("codebook size must be a power of two, got " + size);
        }
        this.layout = new QuantizerLayout(QuantizerLayout.Kind.RVQ, 1, this.stages.length, dim,
                Integer.numberOfTrailingZeros(size));
    }

    /**
     * EnCodec's rule n_q = max(1, floor(bandwidth_kbps * 1000 / (bitsPerCode * frameRate))), e.g.
     * 75 Hz, 10 bits: 1.5 kbps -> 2, 6 kbps -> 8; 50 Hz: 0.5 -> 1, 4 -> 8.
     */
    public static int numQuantizersForBandwidth(double bandwidthKbps, double frameRate, int bitsPerCode) {
        if (!(bandwidthKbps > 0) || !(frameRate > 0) || bitsPerCode < 1) {
            throw new IllegalArgumentException("bandwidth " + bandwidthKbps + " kbps, frame rate " + frameRate
                    + " Hz and bits per code " + bitsPerCode + " must all be positive");
        }
        // The small epsilon keeps exact products like 6000/750 = 8 from flooring to 7.
        return Math.max(1, (int) Math.floor(bandwidthKbps * 1000.0 / (bitsPerCode * frameRate) + 1e-9));
    }

    /** Bits per second one quantizer costs: bitsPerCode * frameRate. */
    public static double bandwidthPerQuantizer(double frameRate, int bitsPerCode) {
        return bitsPerCode * frameRate;
    }

    @Override
    public QuantizerLayout layout() {
        return layout;
    }

    @Override
    public Codebook codebook(int i) {
        return stages[i];
    }

    @Override
    public void encode(float[] x, int off, int[] codes, int codeOff) {
        int dim = layout.dim();
        float[] r = new float[dim];
        System.arraycopy(x, off, r, 0, dim);
        for (int k = 0; k < stages.length; k++) {
            int idx = stages[k].nearest(r, 0);
            codes[codeOff + k] = idx;
            if (k + 1 < stages.length) {
                stages[k].subtractFrom(idx, r, 0);
            }
        }
    }

    @Override
    public void encodeBatch(float[] x, int off, int count, int[] codes, int codeOff) {
        int dim = layout.dim();
        int nc = stages.length;
        float[] r = java.util.Arrays.copyOfRange(x, off, off + count * dim);
        for (int k = 0; k < nc; k++) {
            stages[k].nearestBatch(r, 0, dim, count, codes, codeOff + k, nc);
            if (k + 1 < nc) {
                for (int i = 0; i < count; i++) {
                    stages[k].subtractFrom(codes[codeOff + i * nc + k], r, i * dim);
                }
            }
        }
    }

    @Override
    public void decode(int[] codes, int codeOff, float[] out, int outOff) {
        java.util.Arrays.fill(out, outOff, outOff + layout.dim(), 0f);
        for (int k = 0; k < stages.length; k++) {
            stages[k].addTo(checkIndex(codes[codeOff + k], k), out, outOff);
        }
    }

    private int checkIndex(int idx, int k) {
        if (idx < 0 || idx >= stages[k].size()) {
            throw new IllegalArgumentException("code " + idx + " outside codebook " + k + " of size " + stages[k].size());
        }
        return idx;
    }

    @Override
    public ResidualVectorQuantizer withStages(int n) {
        if (n < 1 || n > stages.length) {
            throw new IllegalArgumentException("RVQ has " + stages.length + " stages; cannot keep " + n);
        }
        return new ResidualVectorQuantizer(List.of(stages).subList(0, n));
    }
}
