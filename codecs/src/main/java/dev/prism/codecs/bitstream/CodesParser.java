package dev.prism.codecs.bitstream;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Incremental .codes reader: feed bytes as they arrive, get decoded packets back. Every problem is
 * a {@link CodesFormatException} naming the absolute byte offset: bad magic or version, header or
 * packet CRC mismatch (tampering), frames missing between packets, data after the end packet, and
 * at {@link #finish()} a stream that stops before its end packet (truncation).
 *
 * <p>Resuming a cut stream: {@link #resuming(CodesHeader, PriorSource)} starts without a header
 * (the caller has it from the stream start) and skips bytes up to the first packet whose sync and
 * CRC check out, then continues strictly.
 */
public final class CodesParser {
    /** Supplies the range coder's usage priors once the header is known (null for flat models). */
    public interface PriorSource {
        long[][] priorFor(CodesHeader header) throws CodesFormatException;
    }

    /** Decoded packet: {@code codes} holds {@code nFrames * codesPerFrame} indices frame-major. */
    public record Packet(long firstFrame, int nFrames, int[] codes, long byteOffset) {
    }

    private final PriorSource priors;
    private byte[] buf = new byte[4096];
    private int start;
    private int end;
    private long base;            // absolute offset of buf[0]
    private CodesHeader header;
    private PacketCoder coder;
    private boolean resync;
    private long expectedFrame;
    private boolean ended;
    private long totalSamples = -1;

    public CodesParser(PriorSource priors) {
        this.priors = priors;
    }

    /** A parser for the tail of a cut stream whose header is already known. */
    public static CodesParser resuming(CodesHeader header, PriorSource priors) throws CodesFormatException {
        CodesParser p = new CodesParser(priors);
        p.accept(header);
        p.resync = true;
        return p;
    }

    private void accept(CodesHeader h) throws CodesFormatException {
        header = h;
        coder = new PacketCoder(h, priors == null ? null : priors.priorFor(h));
    }

    public CodesHeader header() {
        return header;
    }

    public boolean ended() {
        return ended;
    }

    /** Samples the encoder was given, known once the end packet arrived; -1 before. */
    public long totalSamples() {
        return totalSamples;
    }

    public List<Packet> feed(byte[] data, int off, int len) throws CodesFormatException {
        append(data, off, len);
        List<Packet> out = new ArrayList<>();
        while (true) {
            if (header == null) {
                int hl = CodesHeader.lengthIfKnown(buf, start, end - start);
                if (hl < 0 || end - start < hl) {
                    return out;
                }
                accept(CodesHeader.parse(buf, start, hl));
                start += hl;
                continue;
            }
            if (end - start < CodesWriter.PACKET_HEADER) {
                return out;
            }
            long at = base + start;
            ByteBuffer b = ByteBuffer.wrap(buf, start, end - start);
            int sync = b.getShort() & 0xFFFF;
            if (sync != CodesWriter.SYNC) {
                if (resync) {
                    start++;
                    continue;
                }
                throw new CodesFormatException(at, ended ? "unexpected data after the end packet"
                        : "expected a packet sync marker \"PK\"; the stream is corrupt or was cut mid-packet"
                        + " (resume it from a packet boundary)");
            }
            int type = b.get() & 0xFF;
            long first = b.getInt() & 0xFFFFFFFFL;
            int nFrames = b.getShort() & 0xFFFF;
            long payloadLen = b.getInt() & 0xFFFFFFFFL;
            long maxPayload = type == CodesWriter.TYPE_END ? 8 : (long) nFrames * header.codesPerFrame() * 3 + 64;
            boolean known = type <= CodesWriter.TYPE_FIXED
                    || type == CodesWriter.TYPE_TWO_PASS && header.coding() == CodesHeader.Coding.RANGE_V3;
            if (!known || payloadLen > maxPayload) {
                if (resync) {
                    start++;
                    continue;
                }
                throw new CodesFormatException(at, "packet header is malformed (type " + type + ", payload length "
                        + payloadLen + ")");
            }
            int total = CodesWriter.PACKET_OVERHEAD + (int) payloadLen;
            if (end - start < total) {
                return out;
            }
            CRC32 crc = new CRC32();
            crc.update(buf, start, total - 4);
            int stored = ByteBuffer.wrap(buf, start + total - 4, 4).getInt();
            if ((int) crc.getValue() != stored) {
                if (resync) {
                    start++;
                    continue;
                }
                throw new CodesFormatException(at, "packet fails its CRC check (tampered or corrupt data)");
            }
            if (ended) {
                throw new CodesFormatException(at, "unexpected data after the end packet");
            }
            if (resync) {
                resync = false;
                expectedFrame = first;
            }
            if (first != expectedFrame) {
                throw new CodesFormatException(at, "packet starts at frame " + first + " but frame " + expectedFrame
                        + " was expected: packets are missing or reordered");
            }
            int payloadOff = start + CodesWriter.PACKET_HEADER;
            if (type == CodesWriter.TYPE_END) {
                totalSamples = ByteBuffer.wrap(buf, payloadOff, 8).getLong();
                ended = true;
            } else {
                PacketCoder.Mode mode = type == CodesWriter.TYPE_FIXED || header.coding() == CodesHeader.Coding.FIXED
                        ? PacketCoder.Mode.FIXED
                        : type == CodesWriter.TYPE_TWO_PASS ? PacketCoder.Mode.TWO_PASS : PacketCoder.Mode.ADAPTIVE;
                int[] codes = coder.decode(buf, payloadOff, (int) payloadLen, nFrames, mode, base + payloadOff);
                out.add(new Packet(first, nFrames, codes, at));
                expectedFrame += nFrames;
            }
            start += total;
        }
    }

    /** Call when the input is exhausted: a stream without its end packet was truncated. */
    public void finish() throws CodesFormatException {
        long at = base + start;
        if (header == null) {
            throw new CodesFormatException(at, end - start == 0 && base == 0 ? "empty .codes stream"
                    : "stream ends inside the .codes header (truncated)");
        }
        if (!ended) {
            throw new CodesFormatException(at, end > start
                    ? "stream ends inside a packet (truncated): " + (end - start) + " bytes of an incomplete packet"
                    : "stream ends after frame " + expectedFrame + " without its end packet (truncated)");
        }
        if (end > start) {
            throw new CodesFormatException(at, "unexpected data after the end packet");
        }
    }

    private void append(byte[] data, int off, int len) {
        if (start > 0 && start == end) {
            base += start;
            start = 0;
            end = 0;
        }
        if (end + len > buf.length) {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                base += start;
                end -= start;
                start = 0;
            }
            if (end + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + len));
            }
        }
        System.arraycopy(data, off, buf, end, len);
        end += len;
    }
}
