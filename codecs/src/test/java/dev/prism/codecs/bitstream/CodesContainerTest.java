package dev.prism.codecs.bitstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.codecs.quant.QuantizerLayout;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodesContainerTest {
    static final QuantizerLayout GRVQ4 = new QuantizerLayout(QuantizerLayout.Kind.GRVQ, 2, 2, 320, 10);

    static CodesHeader header(CodesHeader.Coding coding) {
        return new CodesHeader("prism-mdct", "mdct:320:1000.0:0.5", 24_000, 320, GRVQ4, coding, "demo-test",
                0x1234_5678_9ABC_DEF0L, true, 50);
    }

    /** Skewed codes so the range coder has something to gain. */
    static int[] codes(int frames, int nc, long seed) {
        Random rnd = new Random(seed);
        int[] c = new int[frames * nc];
        for (int i = 0; i < c.length; i++) {
            c[i] = Math.min(1023, (int) Math.abs(rnd.nextGaussian() * 60));
        }
        return c;
    }

    static long[][] prior(int[] codes, int nc) {
        long[][] p = new long[nc][1024];
        for (int i = 0; i < codes.length; i++) {
            p[i % nc][codes[i]]++;
        }
        return p;
    }

    static byte[] write(CodesHeader h, int[] codes, int frames, long[][] prior, long samples) {
        CodesWriter w = new CodesWriter(h, prior);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(w.header());
        int nc = h.codesPerFrame();
        for (int f = 0; f < frames; f += h.framesPerPacket()) {
            int n = Math.min(h.framesPerPacket(), frames - f);
            out.writeBytes(w.packet(Arrays.copyOfRange(codes, f * nc, (f + n) * nc), n));
        }
        out.writeBytes(w.end(samples));
        return out.toByteArray();
    }

    static int[] readAll(CodesParser p, byte[] data, int chunk) throws CodesFormatException {
        List<Integer> all = new ArrayList<>();
        for (int off = 0; off < data.length; off += chunk) {
            for (CodesParser.Packet pk : p.feed(data, off, Math.min(chunk, data.length - off))) {
                for (int c : pk.codes()) {
                    all.add(c);
                }
            }
        }
        p.finish();
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void fixedWidthPacksTenBitsPerCodeLsbFirstAndRoundTrips() throws CodesFormatException {
        BitPacker p = new BitPacker(10);
        p.push(0x3FF);
        p.push(1);
        byte[] b = p.finish();
        assertArrayEquals(new byte[] {(byte) 0xFF, 0x07, 0x00}, b, "LSB-first: 1111111111 then 0000000001");
        int[] c = codes(333, 4, 1);
        byte[] data = write(header(CodesHeader.Coding.FIXED), c, 333, null, 333 * 320L - 100);
        int headerLen = header(CodesHeader.Coding.FIXED).toBytes().length;
        int packets = 7;
        int payload = 6 * BitPacker.packedBytes(50 * 4, 10) + BitPacker.packedBytes(33 * 4, 10);
        assertEquals(headerLen + payload + packets * CodesWriter.PACKET_OVERHEAD + CodesWriter.PACKET_OVERHEAD + 8,
                data.length, "size = header + 10 bits per code + per-packet framing");
        CodesParser parser = new CodesParser(h -> null);
        assertArrayEquals(c, readAll(parser, data, 97));
        assertEquals(333 * 320L - 100, parser.totalSamples());
        assertEquals(header(CodesHeader.Coding.FIXED), parser.header());
    }

    @Test
    void rangeCodedStreamIsSmallerAndBitExact() throws CodesFormatException {
        int[] c = codes(1000, 4, 2);
        long[][] prior = prior(codes(3000, 4, 3), 4);
        byte[] fixed = write(header(CodesHeader.Coding.FIXED), c, 1000, null, 1000);
        byte[] ranged = write(header(CodesHeader.Coding.RANGE), c, 1000, prior, 1000);
        assertTrue(ranged.length < fixed.length * 0.85, ranged.length + " vs " + fixed.length);
        assertArrayEquals(c, readAll(new CodesParser(h -> prior), ranged, 1 << 20));
        assertArrayEquals(c, readAll(new CodesParser(h -> prior), ranged, 13));
    }

    @Test
    void rangeCodingFallsBackToFixedWidthWhenThePriorIsWrong() throws CodesFormatException {
        // Uniform codes against a prior concentrated on code 0: range coding would cost more than 10 bits.
        Random rnd = new Random(8);
        int[] c = new int[200 * 4];
        for (int i = 0; i < c.length; i++) {
            c[i] = rnd.nextInt(1024);
        }
        long[][] prior = new long[4][1024];
        for (long[] p : prior) {
            p[0] = 1_000_000;
        }
        byte[] fixed = write(header(CodesHeader.Coding.FIXED), c, 200, null, 200);
        byte[] ranged = write(header(CodesHeader.Coding.RANGE), c, 200, prior, 200);
        assertEquals(fixed.length, ranged.length, "never larger than fixed-width");
        assertArrayEquals(c, readAll(new CodesParser(h -> prior), ranged, 100));
    }

    @Test
    void everyTruncationIsReportedWithTheByteOffsetWhereDataStops() {
        int[] c = codes(120, 4, 4);
        byte[] data = write(header(CodesHeader.Coding.RANGE), c, 120, null, 120 * 320);
        for (int cut = 0; cut < data.length; cut += 7) {
            final int n = cut;
            CodesFormatException e = assertThrows(CodesFormatException.class,
                    () -> readAll(new CodesParser(h -> null), Arrays.copyOf(data, n), 64), "cut at " + n);
            assertTrue(e.offset() <= n, "offset " + e.offset() + " beyond cut " + n);
            assertTrue(e.getMessage().contains("byte offset"), e.getMessage());
        }
    }

    @Test
    void tamperedBytesAreCaughtByCrcAndNameThePacketOffset() {
        int[] c = codes(120, 4, 5);
        byte[] data = write(header(CodesHeader.Coding.FIXED), c, 120, null, 120 * 320);
        int headerLen = header(CodesHeader.Coding.FIXED).toBytes().length;
        int packet1 = headerLen;
        int packet2 = packet1 + CodesWriter.PACKET_OVERHEAD + BitPacker.packedBytes(200, 10);
        byte[] bad = data.clone();
        bad[packet2 + 40] ^= 0x10;
        CodesFormatException e = assertThrows(CodesFormatException.class, () -> readAll(new CodesParser(h -> null), bad, 1000));
        assertEquals(packet2, e.offset());
        assertTrue(e.getMessage().contains("CRC"), e.getMessage());
        byte[] badHeader = data.clone();
        badHeader[12] ^= 1;
        CodesFormatException eh = assertThrows(CodesFormatException.class,
                () -> readAll(new CodesParser(h -> null), badHeader, 1000));
        assertTrue(eh.getMessage().contains("header"), eh.getMessage());
        byte[] notCodes = "RIFF....WAVEfmt ".getBytes();
        CodesFormatException em = assertThrows(CodesFormatException.class,
                () -> readAll(new CodesParser(h -> null), notCodes, 100));
        assertEquals(0, em.offset());
    }

    @Test
    void aCutStreamResumesAtTheNextPacket() throws CodesFormatException {
        int[] c = codes(200, 4, 6);
        CodesHeader h = header(CodesHeader.Coding.RANGE);
        byte[] data = write(h, c, 200, null, 200 * 320);
        int headerLen = h.toBytes().length;
        // Cut somewhere inside the second packet: the resumed parser must skip to packet three.
        int cut = headerLen + 300;
        CodesParser p = CodesParser.resuming(h, x -> null);
        List<CodesParser.Packet> packets = p.feed(data, cut, data.length - cut);
        p.finish();
        assertEquals(100, packets.get(0).firstFrame(), "first whole packet after the cut");
        int[] tail = Arrays.copyOfRange(c, 100 * 4, 200 * 4);
        int[] got = packets.stream().flatMapToInt(pk -> Arrays.stream(pk.codes())).toArray();
        assertArrayEquals(tail, got);
    }

    @Test
    void droppedPacketIsReportedAsMissingFrames() {
        int[] c = codes(150, 4, 7);
        CodesHeader h = header(CodesHeader.Coding.FIXED);
        byte[] data = write(h, c, 150, null, 150 * 320);
        int headerLen = h.toBytes().length;
        int pkt = CodesWriter.PACKET_OVERHEAD + BitPacker.packedBytes(200, 10);
        byte[] dropped = new byte[data.length - pkt];
        System.arraycopy(data, 0, dropped, 0, headerLen + pkt);
        System.arraycopy(data, headerLen + 2 * pkt, dropped, headerLen + pkt, data.length - headerLen - 2 * pkt);
        CodesFormatException e = assertThrows(CodesFormatException.class, () -> readAll(new CodesParser(x -> null), dropped, 4096));
        assertEquals(headerLen + pkt, e.offset());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
}
