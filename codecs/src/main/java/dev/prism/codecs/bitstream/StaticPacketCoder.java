package dev.prism.codecs.bitstream;

import dev.prism.codecs.entropy.CorruptStreamException;
import dev.prism.codecs.entropy.HistogramCoder;
import dev.prism.codecs.entropy.RangeDecoder;
import dev.prism.codecs.entropy.RangeEncoder;
import dev.prism.codecs.entropy.StaticFrequencyModel;

/**
 * Two-pass coding of one packet, CacheGen's static-CDF scheme (ALGORITHMS.md 4.3) applied to codec
 * codes: count each code position's (codebook's) symbols over the packet, send those histograms
 * ({@link HistogramCoder}), then range-code the codes with exactly those counts as static
 * frequencies ({@link StaticFrequencyModel#exact}). The symbols then cost the packet's plug-in
 * entropy plus the coder's rounding and flush; the histograms are the price, so the encoder uses
 * this only where it beats the adaptive models ({@link PacketCoder}).
 *
 * <p>One range-coded stream per packet: the histograms first, then the codes time-major. Histogram
 * counts of a 1024-entry codebook are mostly 0; each bin's context class is its expected count
 * under the codebook's training usage (when known), so bins the prior calls rare cost little. The
 * packet is independent of every other one (the stream stays cuttable at packet boundaries); the
 * span one table covers is the packet length ({@link CodesHeader#framesPerPacket()}).
 */
public final class StaticPacketCoder {
    /** Context classes of expected count: below 2^-6, then one per octave, 2^3 and above last. */
    private static final int CLASSES = 10;

    private final int nc;
    private final int size;
    private final double[][] priorP;

    /** @param usagePrior per code position usage counts, or null (every bin in one class) */
    public StaticPacketCoder(int codesPerFrame, int codebookSize, long[][] usagePrior) {
        this.nc = codesPerFrame;
        this.size = codebookSize;
        if (usagePrior == null) {
            priorP = null;
            return;
        }
        priorP = new double[nc][size];
        for (int k = 0; k < nc; k++) {
            long sum = 0;
            for (int s = 0; s < size; s++) {
                sum += usagePrior[k][s];
            }
            for (int s = 0; s < size; s++) {
                priorP[k][s] = (usagePrior[k][s] + 0.5) / (sum + size / 2.0);
            }
        }
    }

    /** Per code position, the context class of every bin for a packet of {@code nFrames} frames. */
    private int[][] classes(int nFrames) {
        int[][] c = new int[nc][size];
        if (priorP == null) {
            return c;
        }
        for (int k = 0; k < nc; k++) {
            for (int s = 0; s < size; s++) {
                double e = nFrames * priorP[k][s];
                int octave = (int) Math.floor(Math.log(e) / Math.log(2)) + 7;
                c[k][s] = Math.max(0, Math.min(CLASSES - 1, octave));
            }
        }
        return c;
    }

    private long[][] histograms(int[] codes, int nFrames) {
        long[][] h = new long[nc][size];
        for (int i = 0; i < nFrames * nc; i++) {
            h[i % nc][codes[i]]++;
        }
        return h;
    }

    /** The packet's coded bytes: histograms, then codes. */
    public byte[] encode(int[] codes, int nFrames) {
        long[][] h = histograms(codes, nFrames);
        RangeEncoder enc = new RangeEncoder();
        writeTables(enc, h, nFrames);
        writeCodes(enc, codes, nFrames, h);
        return enc.finish();
    }

    /** Bits of the same packet without its histograms (their models taken as known): the payload part. */
    public long payloadBits(int[] codes, int nFrames) {
        RangeEncoder enc = new RangeEncoder();
        writeCodes(enc, codes, nFrames, histograms(codes, nFrames));
        return 8L * enc.finish().length;
    }

    private void writeTables(RangeEncoder enc, long[][] h, int nFrames) {
        HistogramCoder hc = new HistogramCoder(CLASSES);
        int[][] cls = classes(nFrames);
        for (int k = 0; k < nc; k++) {
            hc.encode(enc, h[k], nFrames, cls[k]);
        }
    }

    private void writeCodes(RangeEncoder enc, int[] codes, int nFrames, long[][] h) {
        StaticFrequencyModel[] models = new StaticFrequencyModel[nc];
        for (int k = 0; k < nc; k++) {
            models[k] = StaticFrequencyModel.exact(h[k]);
        }
        for (int i = 0; i < nFrames * nc; i++) {
            enc.encode(codes[i], models[i % nc]);
        }
    }

    /**
     * Decodes {@code nFrames} frames of codes from {@code data[off, off+len)}. Throws
     * {@link CorruptStreamException} (offset relative to {@code off}) for truncated data, counts that
     * do not add up, trailing bytes, or codes that disagree with the packet's own histograms.
     */
    public int[] decode(byte[] data, int off, int len, int nFrames) {
        RangeDecoder dec = new RangeDecoder(data, off, len);
        HistogramCoder hc = new HistogramCoder(CLASSES);
        int[][] cls = classes(nFrames);
        StaticFrequencyModel[] models = new StaticFrequencyModel[nc];
        long[][] h = new long[nc][];
        for (int k = 0; k < nc; k++) {
            h[k] = hc.decode(dec, size, nFrames, cls[k]);
            models[k] = StaticFrequencyModel.exact(h[k]);
        }
        int[] codes = new int[nFrames * nc];
        for (int i = 0; i < codes.length; i++) {
            int k = i % nc;
            codes[i] = dec.decode(models[k]);
            if (--h[k][codes[i]] < 0) {
                throw new CorruptStreamException(dec.bytesConsumed(), "code position " + k + " decodes symbol "
                        + codes[i] + " more often than its histogram says; the coded data is corrupt");
            }
        }
        if (dec.bytesConsumed() != len) {
            throw new CorruptStreamException(dec.bytesConsumed(), "two-pass payload has " + (len - dec.bytesConsumed())
                    + " unexpected trailing bytes");
        }
        return codes;
    }
}
