package dev.prism.codecs;

import dev.prism.codecs.bitstream.CodesHeader;
import dev.prism.codecs.quant.QuantizerLayout;
import dev.prism.codecs.quant.ResidualVectorQuantizer;

/**
 * What the audio codec produces. Defaults: GRVQ with 2 groups and 4 codebooks (HiFi-Codec's
 * 2 x 2 shape, ALGORITHMS.md 5.3), range-coded payload (RANGE_V3: adaptive or two-pass per packet), 150 frames (2 s at 75 Hz) per packet.
 *
 * @param kind            RVQ or GRVQ
 * @param groups          GRVQ groups (1 for RVQ)
 * @param codebooks       codes per frame (groups x stages)
 * @param coding          fixed 10-bit packing or range coding
 * @param framesPerPacket packet length; each packet decodes on its own
 */
public record CodecConfig(QuantizerLayout.Kind kind, int groups, int codebooks, CodesHeader.Coding coding,
                          int framesPerPacket) {
    public CodecConfig {
        if (kind == QuantizerLayout.Kind.RVQ && groups != 1) {
            throw new IllegalArgumentException("RVQ uses one group, got " + groups);
        }
        if (groups < 1 || codebooks < groups || codebooks % groups != 0) {
            throw new IllegalArgumentException("codebooks (" + codebooks + ") must be a positive multiple of groups ("
                    + groups + ")");
        }
        if (framesPerPacket < 1 || framesPerPacket > 0xFFFF) {
            throw new IllegalArgumentException("frames per packet must be 1..65535, got " + framesPerPacket);
        }
    }

    public static CodecConfig defaults() {
        return new CodecConfig(QuantizerLayout.Kind.GRVQ, 2, 4, CodesHeader.Coding.RANGE_V3, 150);
    }

    public static CodecConfig rvq(int codebooks) {
        return new CodecConfig(QuantizerLayout.Kind.RVQ, 1, codebooks, CodesHeader.Coding.RANGE_V3, 150);
    }

    public static CodecConfig grvq(int codebooks) {
        return new CodecConfig(QuantizerLayout.Kind.GRVQ, 2, codebooks, CodesHeader.Coding.RANGE_V3, 150);
    }

    /**
     * Codebooks for a target bitrate by EnCodec's rule n_q = max(1, floor(kbps*1000 / (10 * frame
     * rate))), rounded down to a multiple of the groups (at least one stage).
     */
    public CodecConfig withKbps(double kbps, double frameRate) {
        int n = ResidualVectorQuantizer.numQuantizersForBandwidth(kbps, frameRate, 10);
        n = Math.max(groups, n / groups * groups);
        return new CodecConfig(kind, groups, n, coding, framesPerPacket);
    }

    public CodecConfig withCodebooks(int n) {
        return new CodecConfig(kind, groups, n, coding, framesPerPacket);
    }

    public CodecConfig withCoding(CodesHeader.Coding c) {
        return new CodecConfig(kind, groups, codebooks, c, framesPerPacket);
    }

    public CodecConfig withCodingFrames(int framesPerPacket) {
        return new CodecConfig(kind, groups, codebooks, coding, framesPerPacket);
    }

    public int stages() {
        return codebooks / groups;
    }
}
