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

    /** Sum of the looked-up codewords into {@code out[outOff .. outOff+dim)} (overwritten). */
    void decode(int[] codes, int codeOff, float[] out, int outOff);

    /** The same quantizer keeping only the first {@code n} residual stages (bandwidth selection). */
    VectorQuantizer withStages(int n);
}
