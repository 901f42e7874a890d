package dev.prism.codecs.quant;

/**
 * A frame-vector quantizer producing {@link #numCodebooks()} indices per frame, in the order the
 * bitstream stores them. Implementations are immutable and thread-safe for encode/decode.
 */
public interface VectorQuantizer {
    QuantizerLayout layout();

    default int dim() {
        return layout().dim();
    }

    default int numCodebooks() {
        return layout().numCodebooks();
    }

    /** Codebook behind code position {@code i} of a frame. */
    Codebook codebook(int i);

    /** Quantizes {@code x[off .. off+dim)} into {@code codes[codeOff .. codeOff+numCodebooks)}. */
    void encode(float[] x, int off, int[] codes, int codeOff);

    /**
     * Quantizes {@code count} consecutive frames from {@code x[off..]} into {@code codes[codeOff..]}
     * (frame-major); identical results to per-frame {@link #encode}, only faster.
     */
    default void encodeBatch(float[] x, int off, int count, int[] codes, int codeOff) {
        for (int i = 0; i < count; i++) {
            encode(x, off + i * dim(), codes, codeOff + i * numCodebooks());
        }
    }

    /** Sum of the looked-up codewords into {@code out[outOff .. outOff+dim)} (overwritten). */
    void decode(int[] codes, int codeOff, float[] out, int outOff);

    /** The same quantizer keeping only the first {@code n} residual stages (bandwidth selection). */
    VectorQuantizer withStages(int n);
}
