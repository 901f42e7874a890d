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
 * @param framesPerPacket packet length; each packet decodes on its own, and under RANGE_V3 it is also
 *                        the span one two-pass table covers (longer: smaller tables per code, later
 *                        output and coarser resume points)
 * @param encodeThreads   threads that quantize a stream's frames (1..64; the bytes do not depend on it);
 *                        default {@link #defaultEncodeThreads()}
 */
public record CodecConfig(QuantizerLayout.Kind kind, int groups, int codebooks, CodesHeader.Coding coding,
                          int framesPerPacket, int encodeThreads) {
    /** Most encoder threads a config accepts. */
    public static final int MAX_THREADS = 64;

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
        if (encodeThreads < 1 || encodeThreads > MAX_THREADS) {
            throw new IllegalArgumentException("encoder threads must be 1.." + MAX_THREADS + ", got " + encodeThreads);
        }
    }

    /** A config with the default encoder threads. */
    public CodecConfig(QuantizerLayout.Kind kind, int groups, int codebooks, CodesHeader.Coding coding,
                       int framesPerPacket) {
        this(kind, groups, codebooks, coding, framesPerPacket, defaultEncodeThreads());
    }

    /** The available cores, at most 8: one stream rarely has the frames in hand to keep more busy. */
    public static int defaultEncodeThreads() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
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
        return new CodecConfig(kind, groups, n, coding, framesPerPacket, encodeThreads);
    }

    public CodecConfig withCodebooks(int n) {
        return new CodecConfig(kind, groups, n, coding, framesPerPacket, encodeThreads);
    }

    public CodecConfig withCoding(CodesHeader.Coding c) {
        return new CodecConfig(kind, groups, codebooks, c, framesPerPacket, encodeThreads);
    }

    public CodecConfig withCodingFrames(int framesPerPacket) {
        return new CodecConfig(kind, groups, codebooks, coding, framesPerPacket, encodeThreads);
    }

    /** The same config quantizing on {@code threads} threads (identical bytes, different speed). */
    public CodecConfig withEncodeThreads(int threads) {
        return new CodecConfig(kind, groups, codebooks, coding, framesPerPacket, threads);
    }

    public int stages() {
        return codebooks / groups;
    }
}
