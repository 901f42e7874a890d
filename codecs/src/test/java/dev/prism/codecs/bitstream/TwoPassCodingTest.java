package dev.prism.codecs.bitstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.codecs.entropy.CorruptStreamException;
import dev.prism.codecs.entropy.Entropy;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TwoPassCodingTest {
    static CodesHeader header(CodesHeader.Coding coding, int framesPerPacket) {
        return new CodesHeader("prism-mdct", "mdct:320:1000.0:0.5", 24_000, 320, CodesContainerTest.GRVQ4, coding,
                "demo-test", 42L, true, framesPerPacket);
    }

    /** Each code position uses only three symbols: a source where the flat adaptive start wastes mass. */
    static int[] threeSymbols(int frames, long seed) {
        Random rnd = new Random(seed);
        int[] c = new int[frames * 4];
        for (int i = 0; i < c.length; i++) {
            int k = i % 4;
            int r = rnd.nextInt(10);
            c[i] = r < 6 ? 10 * k : r < 9 ? 500 : 900;
        }
        return c;
    }

    static double plugInBits(int[] codes, int nc) {
        long[][] h = new long[nc][1024];
        for (int i = 0; i < codes.length; i++) {
            h[i % nc][codes[i]]++;
        }
        double bits = 0;
        for (long[] row : h) {
            bits += Entropy.shannonBits(row);
        }
        return bits;
    }

    @Test
    void twoPassPayloadLandsWithinOnePercentOfThePacketsPlugInEntropyAndRoundTrips() {
        int[] codes = CodesContainerTest.codes(2000, 4, 11);
        StaticPacketCoder coder = new StaticPacketCoder(4, 1024, CodesContainerTest.prior(CodesContainerTest.codes(3000, 4, 12), 4));
        byte[] bytes = coder.encode(codes, 2000);
        assertArrayEquals(codes, coder.decode(bytes, 0, bytes.length, 2000));
        double h = plugInBits(codes, 4);
        long payload = coder.payloadBits(codes, 2000);
        assertTrue(payload <= 1.01 * h && payload >= h, "payload " + payload + " bits vs n*H " + h);
        assertTrue(bytes.length * 8L > payload, "the histograms cost something on top");
    }

    @Test
    void v3StreamsPickTwoPassWhereItWinsAndRoundTripBitExact() throws CodesFormatException {
        int[] codes = threeSymbols(4000, 3);
        CodesHeader v3 = header(CodesHeader.Coding.RANGE_V3, 2000);
        byte[] data = CodesContainerTest.write(v3, codes, 4000, null, 4000 * 320L);
        byte[] v2 = CodesContainerTest.write(header(CodesHeader.Coding.RANGE_V2, 2000), codes, 4000, null, 4000 * 320L);
        int at = v3.toBytes().length;
        for (int p = 0; p < 2; p++) {
            assertEquals(CodesWriter.TYPE_TWO_PASS, data[at + 2], "packet " + p + " type");
            at += CodesWriter.PACKET_OVERHEAD + java.nio.ByteBuffer.wrap(data, at + 9, 4).getInt();
        }
        assertTrue(data.length < v2.length, "v3 " + data.length + " bytes vs v2 " + v2.length);
        assertArrayEquals(codes, CodesContainerTest.readAll(new CodesParser(h -> null), data, 333));
    }

    @Test
    void everyV3PacketIsTheSmallestOfAdaptiveTwoPassAndFixedWidth() {
        long[][] prior = CodesContainerTest.prior(CodesContainerTest.codes(3000, 4, 5), 4);
        PacketCoder coder = new PacketCoder(header(CodesHeader.Coding.RANGE_V3, 150), prior);
        for (int[] codes : new int[][] {CodesContainerTest.codes(150, 4, 6), threeSymbols(150, 7), uniform(150, 8)}) {
            PacketCoder.Payload p = coder.encode(codes, 150);
            int smallest = Math.min(BitPacker.packedBytes(600, 10),
                    Math.min(coder.rangeCodedBytes(codes, 150), coder.twoPass().encode(codes, 150).length));
            assertEquals(smallest, p.bytes().length, "mode " + p.mode());
        }
    }

    static int[] uniform(int frames, long seed) {
        Random rnd = new Random(seed);
        int[] c = new int[frames * 4];
        for (int i = 0; i < c.length; i++) {
            c[i] = rnd.nextInt(1024);
        }
        return c;
    }

    @Test
    void v2StreamsStillDecode() throws CodesFormatException {
        int[] codes = CodesContainerTest.codes(300, 4, 9);
        long[][] prior = CodesContainerTest.prior(CodesContainerTest.codes(3000, 4, 10), 4);
        byte[] v2 = CodesContainerTest.write(header(CodesHeader.Coding.RANGE_V2, 150), codes, 300, prior, 300);
        CodesParser p = new CodesParser(h -> prior);
        assertArrayEquals(codes, CodesContainerTest.readAll(p, v2, 100));
        assertEquals(CodesHeader.Coding.RANGE_V2, p.header().coding());
    }

    @Test
    void truncatedOrTamperedTwoPassStreamsNameTheByteOffset() {
        int[] codes = threeSymbols(600, 13);
        CodesHeader v3 = header(CodesHeader.Coding.RANGE_V3, 300);
        byte[] data = CodesContainerTest.write(v3, codes, 600, null, 600 * 320L);
        for (int cut = 0; cut < data.length; cut += 5) {
            final int n = cut;
            CodesFormatException e = assertThrows(CodesFormatException.class,
                    () -> CodesContainerTest.readAll(new CodesParser(h -> null), Arrays.copyOf(data, n), 64), "cut at " + n);
            assertTrue(e.offset() <= n && e.getMessage().contains("byte offset"), e.getMessage());
        }
        int packet = v3.toBytes().length;
        byte[] bad = data.clone();
        bad[packet + CodesWriter.PACKET_HEADER + 3] ^= 0x40;
        CodesFormatException e = assertThrows(CodesFormatException.class,
                () -> CodesContainerTest.readAll(new CodesParser(h -> null), bad, 1000));
        assertEquals(packet, e.offset());
        // Below the CRC: the payload coder itself refuses every truncated payload instead of inventing codes.
        StaticPacketCoder coder = new StaticPacketCoder(4, 1024, null);
        byte[] payload = coder.encode(Arrays.copyOf(codes, 1200), 300);
        for (int len = 0; len < payload.length; len++) {
            final int n = len;
            assertThrows(CorruptStreamException.class, () -> coder.decode(payload, 0, n, 300), "payload cut at " + n);
        }
    }

    @Test
    void aTwoPassPacketUnderAHeaderThatPredatesV3IsRejected() {
        int[] codes = threeSymbols(300, 14);
        byte[] v3 = CodesContainerTest.write(header(CodesHeader.Coding.RANGE_V3, 300), codes, 300, null, 300);
        byte[] v2Header = header(CodesHeader.Coding.RANGE_V2, 300).toBytes();
        int v3HeaderLen = header(CodesHeader.Coding.RANGE_V3, 300).toBytes().length;
        byte[] spliced = new byte[v2Header.length + v3.length - v3HeaderLen];
        System.arraycopy(v2Header, 0, spliced, 0, v2Header.length);
        System.arraycopy(v3, v3HeaderLen, spliced, v2Header.length, v3.length - v3HeaderLen);
        CodesFormatException e = assertThrows(CodesFormatException.class,
                () -> CodesContainerTest.readAll(new CodesParser(h -> null), spliced, 4096));
        assertEquals(v2Header.length, e.offset());
        assertTrue(e.getMessage().contains("type 3"), e.getMessage());
    }
}
