package dev.prism.codecs.gaussian;

import dev.prism.codecs.entropy.Entropy;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class TailExceptionCoderTest {

    private static int[] roundTrip(int[] v, double tail) {
        ByteWriter w = new ByteWriter(16);
        TailExceptionCoder.write(v, tail, w);
        byte[] b = w.toByteArray();
        ByteReader r = new ByteReader(b, 0, b.length, "test block");
        int[] out = TailExceptionCoder.read(r, v.length, "test");
        assertEquals(0, r.remaining());
        return out;
    }

    @Test
    void heavyTailedValuesRoundTripBitExactAndCodeNearTheShannonBound() {
        Random r = new Random(7);
        int n = 200_000;
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = (int) Math.round(r.nextGaussian() * 3);
        for (int i = 0; i < 50; i++) v[r.nextInt(n)] = r.nextInt() / 3;   // rare outliers: exceptions
        assertArrayEquals(v, roundTrip(v, 1e-4));
        ByteWriter w = new ByteWriter(16);
        TailExceptionCoder.write(v, 1e-4, w);
        long[] counts = new long[64];
        for (int x : v) if (Math.abs(x) < 32) counts[x + 32]++;
        double ideal = Entropy.shannonBits(counts) / 8;
        assertTrue(w.size() < ideal * 1.05 + 50 * 10 + 200, "coded " + w.size() + " bytes vs ideal " + ideal);
    }

    @Test
    void edgeCasesRoundTrip() {
        assertArrayEquals(new int[0], roundTrip(new int[0], 1e-4));
        assertArrayEquals(new int[]{5, 5, 5}, roundTrip(new int[]{5, 5, 5}, 1e-4));
        int[] extremes = {Integer.MIN_VALUE / 2, Integer.MAX_VALUE / 2, 0, -1, 1};
        assertArrayEquals(extremes, roundTrip(extremes, 0));
        int[] wide = new int[30000];
        for (int i = 0; i < wide.length; i++) wide[i] = i * 1000;   // 30k distinct symbols: more than the table holds
        assertArrayEquals(wide, roundTrip(wide, 0));
    }

    @Test
    void countMismatchIsRejected() {
        ByteWriter w = new ByteWriter(16);
        TailExceptionCoder.write(new int[]{1, 2, 3}, 1e-4, w);
        byte[] b = w.toByteArray();
        GaussianStreamException e = assertThrows(GaussianStreamException.class,
                () -> TailExceptionCoder.read(new ByteReader(b, 0, b.length, "blk"), 4, "COLOR"));
        assertTrue(e.getMessage().contains("COLOR holds 3 values"));
    }
}
