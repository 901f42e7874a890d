package dev.prism.codecs.bitstream;

import dev.prism.codecs.quant.QuantizerLayout;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Self-describing .codes header. Layout (big-endian): magic "PRCD", version u8, body length u16,
 * body, CRC32 of magic..body. Body: codec id (UTF), latent spec (UTF, e.g. "mdct:320:1000.0:0.5"),
 * sample rate u32, hop u32 (frame rate = sample rate / hop), quantizer layout (kind u8, groups u8,
 * stages u8, dim u16, code bits u8), coding u8 (0 fixed-width, 1 range-coded, 2 range-coded v2, 3 v3: adaptive or two-pass per packet), codebook id (UTF),
 * codebook hash u64, demo flag u8 (1 = demo codebooks learned on a synthetic corpus), frames per
 * packet u16.
 */
public record CodesHeader(String codecId, String latentSpec, int sampleRate, int hopSize, QuantizerLayout layout,
                          Coding coding, String codebookId, long codebookHash, boolean demoCodebook,
                          int framesPerPacket) {
    public static final int MAGIC = 0x50524344;   // "PRCD"
    public static final int VERSION = 1;

    /**
     * Payload coding. FIXED: 10-bit (codeBits) LSB-first packing. RANGE: range coding with adaptive
     * models started from the codebooks' training usage scaled to half the model limit (32768) and
     * step 1 per coded symbol for 1024-entry codebooks (the first format; still decoded). RANGE_V2:
     * the same coder with the prior scaled to {@value #V2_PRIOR_MASS} and step {@value #V2_INCREMENT}, so
     * a 2 s packet adapts to the stream instead of trusting a prior learned on other audio
     * (measured 0.3-0.75 bit per code smaller on the benchmark clips, see CodecBench). RANGE_V3: the
     * encoder picks per packet the smallest of the adaptive models (a prior weight and step chosen per
     * code position from a few presets, {@link AdaptiveModels}), CacheGen-style two-pass static models
     * sent with the packet ({@link StaticPacketCoder}) and fixed-width packing; the packet type says which.
     */
    public enum Coding { FIXED, RANGE, RANGE_V2, RANGE_V3 }

    /** RANGE_V2 prior mass (sum of the scaled prior counts). */
    public static final int V2_PRIOR_MASS = 8192;
    /** RANGE_V2 count step per coded symbol. */
    public static final int V2_INCREMENT = 32;

    public CodesHeader {
        if (sampleRate < 1 || hopSize < 1 || framesPerPacket < 1 || framesPerPacket > 0xFFFF) {
            throw new IllegalArgumentException("header needs positive sample rate, hop and 1..65535 frames per packet");
        }
        if (layout.groups() > 255 || layout.stages() > 255 || layout.dim() > 0xFFFF) {
            throw new IllegalArgumentException("layout " + layout + " does not fit the header fields");
        }
    }

    public double frameRate() {
        return (double) sampleRate / hopSize;
    }

    public int codesPerFrame() {
        return layout.numCodebooks();
    }

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream b = new DataOutputStream(body);
            b.writeUTF(codecId);
            b.writeUTF(latentSpec);
            b.writeInt(sampleRate);
            b.writeInt(hopSize);
            b.writeByte(layout.kind().ordinal());
            b.writeByte(layout.groups());
            b.writeByte(layout.stages());
            b.writeShort(layout.dim());
            b.writeByte(layout.codeBits());
            b.writeByte(coding.ordinal());
            b.writeUTF(codebookId);
            b.writeLong(codebookHash);
            b.writeByte(demoCodebook ? 1 : 0);
            b.writeShort(framesPerPacket);
            byte[] bodyBytes = body.toByteArray();
            ByteBuffer bb = ByteBuffer.allocate(7 + bodyBytes.length + 4);
            bb.putInt(MAGIC).put((byte) VERSION).putShort((short) bodyBytes.length).put(bodyBytes);
            CRC32 crc = new CRC32();
            crc.update(bb.array(), 0, bb.position());
            bb.putInt((int) crc.getValue());
            return bb.array();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bytes the header at {@code data[0..]} occupies, or -1 if fewer than 7 bytes are available. */
    static int lengthIfKnown(byte[] data, int off, int len) throws CodesFormatException {
        if (len < 4) {
            return -1;
        }
        if (ByteBuffer.wrap(data, off, 4).getInt() != MAGIC) {
            throw new CodesFormatException(0, "not a Prism .codes stream: the magic \"PRCD\" is missing");
        }
        if (len < 7) {
            return -1;
        }
        int version = data[off + 4] & 0xFF;
        if (version != VERSION) {
            throw new CodesFormatException(4, ".codes version " + version + " is not supported (this build reads "
                    + VERSION + "); re-encode the audio or upgrade Prism");
        }
        int bodyLen = ((data[off + 5] & 0xFF) << 8) | (data[off + 6] & 0xFF);
        return 7 + bodyLen + 4;
    }

    static CodesHeader parse(byte[] data, int off, int total) throws CodesFormatException {
        CRC32 crc = new CRC32();
        crc.update(data, off, total - 4);
        int stored = ByteBuffer.wrap(data, off + total - 4, 4).getInt();
        if ((int) crc.getValue() != stored) {
            throw new CodesFormatException(total - 4, ".codes header fails its CRC check (tampered or corrupt header)");
        }
        ByteBuffer b = ByteBuffer.wrap(data, off + 7, total - 11);
        try {
            String codecId = utf(b);
            String latent = utf(b);
            int sr = b.getInt();
            int hop = b.getInt();
            int kind = b.get() & 0xFF;
            int groups = b.get() & 0xFF;
            int stages = b.get() & 0xFF;
            int dim = b.getShort() & 0xFFFF;
            int codeBits = b.get() & 0xFF;
            int coding = b.get() & 0xFF;
            String cbId = utf(b);
            long hash = b.getLong();
            boolean demo = b.get() != 0;
            int fpp = b.getShort() & 0xFFFF;
            if (kind >= QuantizerLayout.Kind.values().length || coding >= Coding.values().length) {
                throw new CodesFormatException(7, ".codes header names an unknown quantizer kind " + kind + " or coding " + coding);
            }
            return new CodesHeader(codecId, latent, sr, hop,
                    new QuantizerLayout(QuantizerLayout.Kind.values()[kind], groups, stages, dim, codeBits),
                    Coding.values()[coding], cbId, hash, demo, fpp);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new CodesFormatException(7, ".codes header body is malformed: " + e.getMessage(), e);
        }
    }

    private static String utf(ByteBuffer b) {
        int len = b.getShort() & 0xFFFF;
        byte[] s = new byte[len];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }
}
