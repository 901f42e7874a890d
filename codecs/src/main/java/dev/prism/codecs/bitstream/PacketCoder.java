package dev.prism.codecs.bitstream;

import dev.prism.codecs.entropy.CorruptStreamException;
import dev.prism.codecs.entropy.FrequencyModel;
import dev.prism.codecs.entropy.RangeDecoder;
import dev.prism.codecs.entropy.RangeEncoder;

/**
 * Code payload of one packet, time-major (for each frame, for each code position) as EnCodec's
 * .ecdc. FIXED packs {@code codeBits} per code LSB-first. RANGE / RANGE_V2 / RANGE_V3 code with one
 * adaptive model per code position, started from that codebook's training usage (when known; they
 * differ in prior weight and step, see {@link AdaptiveModels}) and reset at every packet, so
 * each packet decodes on its own and a cut stream resumes at any packet. RANGE_V3 packets may
 * instead be two-pass coded ({@link StaticPacketCoder}), whichever is smaller.
 */
public final class PacketCoder {
    private final CodesHeader header;
    private final AdaptiveModels adaptive;
    private final StaticPacketCoder twoPass;

    /** @param usagePrior per code position usage counts, or null for flat starting models */
    public PacketCoder(CodesHeader header, long[][] usagePrior) {
        this.header = header;
        if (usagePrior != null && usagePrior.length < header.codesPerFrame()) {
            throw new IllegalArgumentException("usage prior covers " + usagePrior.length + " codebooks, stream has "
                    + header.codesPerFrame());
        }
        this.adaptive = new AdaptiveModels(header, usagePrior);
        this.twoPass = new StaticPacketCoder(header.codesPerFrame(), header.layout().codebookSize(), usagePrior);
    }

    /**
     * How a packet's payload is coded; the packet type carries it. ADAPTIVE: the stream's adaptive
     * models. FIXED: fixed-width packing. TWO_PASS: the packet's own histograms, then static models
     * ({@link StaticPacketCoder}; RANGE_V3 streams only).
     */
    public enum Mode { ADAPTIVE, FIXED, TWO_PASS }

    /** A coded payload and how it is coded. */
    public record Payload(byte[] bytes, Mode mode) {
        /** True when the payload is fixed-width packed. */
        public boolean fixed() {
            return mode == Mode.FIXED;
        }
    }

    /**
     * {@code codes} holds {@code nFrames * codesPerFrame} indices, frame-major. A range-coding stream
     * falls back to fixed-width packing for a packet where that is smaller (codes the prior did not
     * anticipate), so range coding never costs more than 10 bits per code plus framing; a RANGE_V3
     * stream also tries the two-pass static models and keeps the smallest of the three.
     */
    public Payload encode(int[] codes, int nFrames) {
        int count = nFrames * header.codesPerFrame();
        BitPacker p = new BitPacker(header.layout().codeBits());
        for (int i = 0; i < count; i++) {
            p.push(codes[i]);
        }
        Payload best = new Payload(p.finish(), Mode.FIXED);
        if (header.coding() == CodesHeader.Coding.FIXED) {
            return best;
        }
        byte[] ranged = rangeCode(codes, nFrames);
        if (ranged.length < best.bytes().length) {
            best = new Payload(ranged, Mode.ADAPTIVE);
        }
        if (header.coding() == CodesHeader.Coding.RANGE_V3) {
            byte[] twoPassBytes = twoPass.encode(codes, nFrames);
            if (twoPassBytes.length < best.bytes().length) {
                best = new Payload(twoPassBytes, Mode.TWO_PASS);
            }
        }
        return best;
    }

    /** This stream's two-pass coder (for size breakdowns). */
    public StaticPacketCoder twoPass() {
        return twoPass;
    }

    /**
     * The ideal code length in bits of one packet under this stream's adaptive models (sum of -log2
     * of each code's model probability, the models learning as they go, plus RANGE_V3's preset
     * fields): what the range coder approaches, so payload bits / ideal bits is the coder's own
     * overhead.
     */
    public double idealBits(int[] codes, int nFrames) {
        return adaptive.idealBits(codes, nFrames, adaptive.choose(codes, nFrames));
    }

    /** Adaptive range-coded payload bytes of one packet (no fixed-width or two-pass alternative). */
    public int rangeCodedBytes(int[] codes, int nFrames) {
        return rangeCode(codes, nFrames).length;
    }

    private byte[] rangeCode(int[] codes, int nFrames) {
        int nc = header.codesPerFrame();
        int[] presets = adaptive.choose(codes, nFrames);
        RangeEncoder enc = new RangeEncoder();
        if (adaptive.selectable()) {
            for (int p : presets) {
                enc.encodeBits(p, AdaptiveModels.PRESET_BITS);
            }
        }
        FrequencyModel[] models = adaptive.models(presets);
        for (int i = 0; i < nFrames * nc; i++) {
            enc.encode(codes[i], models[i % nc]);
        }
        return enc.finish();
    }

    /**
     * Decodes {@code nFrames} frames of codes from {@code data[off, off+len)}; {@code absOffset} is the
     * payload's position in the whole stream, used in error messages.
     */
    public int[] decode(byte[] data, int off, int len, int nFrames, Mode mode, long absOffset)
            throws CodesFormatException {
        int nc = header.codesPerFrame();
        int count = nFrames * nc;
        int[] codes = new int[count];
        if (mode == Mode.TWO_PASS) {
            try {
                return twoPass.decode(data, off, len, nFrames);
            } catch (CorruptStreamException e) {
                throw new CodesFormatException(absOffset + e.offset(), "two-pass payload is corrupt: " + e.getMessage(), e);
            }
        }
        if (mode == Mode.FIXED) {
            int bits = header.layout().codeBits();
            if (len != BitPacker.packedBytes(count, bits)) {
                throw new CodesFormatException(absOffset, "fixed-width payload has " + len + " bytes, "
                        + nFrames + " frames need " + BitPacker.packedBytes(count, bits));
            }
            BitPacker.Unpacker u = new BitPacker.Unpacker(data, off, len, bits);
            for (int i = 0; i < count; i++) {
                codes[i] = u.pull();
            }
            return codes;
        }
        try {
            RangeDecoder dec = new RangeDecoder(data, off, len);
            int[] presets = new int[nc];
            if (adaptive.selectable()) {
                for (int k = 0; k < nc; k++) {
                    presets[k] = dec.decodeBits(AdaptiveModels.PRESET_BITS);
                }
            }
            FrequencyModel[] models = adaptive.models(presets);
            for (int i = 0; i < count; i++) {
                codes[i] = dec.decode(models[i % nc]);
            }
            if (dec.bytesConsumed() != len) {
                throw new CodesFormatException(absOffset + dec.bytesConsumed(), "range-coded payload has "
                        + (len - dec.bytesConsumed()) + " unexpected trailing bytes");
            }
        } catch (CorruptStreamException e) {
            throw new CodesFormatException(absOffset + e.offset(), "range-coded payload is corrupt: " + e.getMessage(), e);
        }
        return codes;
    }
}
