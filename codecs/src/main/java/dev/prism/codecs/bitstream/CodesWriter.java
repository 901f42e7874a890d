package dev.prism.codecs.bitstream;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * Produces a .codes stream piece by piece: {@link #header()}, then one {@link #packet} per group of
 * frames, then {@link #end}. Packet layout (big-endian): sync "PK", type u8,
 * first frame u32, frame count u16, payload length u32, payload, CRC32 over sync..payload. Types:
 * 0 frames coded as the header says, 2 frames fixed-width packed (a range-coded stream's fallback
 * for a packet where that is smaller), 3 frames two-pass coded (RANGE_V3 streams only), 1 end. The end
 * packet's payload is the total sample count (u64) so the decoder trims the padding exactly.
 */
public final class CodesWriter {
    static final int SYNC = 0x504B;   // "PK"
    static final int PACKET_HEADER = 13;
    static final int PACKET_OVERHEAD = PACKET_HEADER + 4;
    static final int TYPE_CODED = 0;
    static final int TYPE_END = 1;
    static final int TYPE_FIXED = 2;
    static final int TYPE_TWO_PASS = 3;

    static int typeOf(PacketCoder.Mode mode) {
        return switch (mode) {
            case ADAPTIVE -> TYPE_CODED;
            case FIXED -> TYPE_FIXED;
            case TWO_PASS -> TYPE_TWO_PASS;
        };
    }

    private final CodesHeader header;
    private final PacketCoder coder;
    private long nextFrame;

    public CodesWriter(CodesHeader header, long[][] usagePrior) {
        this.header = header;
        this.coder = new PacketCoder(header, usagePrior);
    }

    public CodesHeader codesHeader() {
        return header;
    }

    public byte[] header() {
        return header.toBytes();
    }

    /** One packet of {@code nFrames} frames (codes frame-major, {@code codesPerFrame} each). */
    public byte[] packet(int[] codes, int nFrames) {
        if (nFrames < 1 || nFrames > 0xFFFF) {
            throw new IllegalArgumentException("a packet holds 1..65535 frames, got " + nFrames);
        }
        PacketCoder.Payload payload = coder.encode(codes, nFrames);
        byte[] out = frame(typeOf(payload.mode()), nextFrame, nFrames, payload.bytes());
        nextFrame += nFrames;
        return out;
    }

    /** The closing packet, carrying the number of PCM samples encoded. */
    public byte[] end(long totalSamples) {
        byte[] payload = ByteBuffer.allocate(8).putLong(totalSamples).array();
        return frame(TYPE_END, nextFrame, 0, payload);
    }

    public long framesWritten() {
        return nextFrame;
    }

    private static byte[] frame(int type, long firstFrame, int nFrames, byte[] payload) {
        ByteBuffer bb = ByteBuffer.allocate(PACKET_OVERHEAD + payload.length);
        bb.putShort((short) SYNC).put((byte) type).putInt((int) firstFrame).putShort((short) nFrames)
                .putInt(payload.length).put(payload);
        CRC32 crc = new CRC32();
        crc.update(bb.array(), 0, bb.position());
        bb.putInt((int) crc.getValue());
        return bb.array();
    }
}
