package dev.prism.codecs.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramCoderTest {
    /** Sparse 1024-bin histograms of {@code total} draws concentrated on the low bins. */
    private static long[][] sparse(int count, int total, long seed) {
        Random rnd = new Random(seed);
        long[][] h = new long[count][1024];
        for (long[] row : h) {
            for (int i = 0; i < total; i++) {
                row[Math.min(1023, (int) Math.abs(rnd.nextGaussian() * 80))]++;
            }
        }
        return h;
    }

    @Test
    void histogramsRoundTripWithPerSymbolAndCallerGivenClassesAndCountsAboveTheDirectRange() {
        long[][] h = sparse(6, 150, 1);
        h[2][0] = 0;
        h[2][5] += 70_000;   // forces the Exp-Golomb escape with many raw bits
        int[] classOf = new int[1024];
        for (int s = 0; s < 1024; s++) {
            classOf[s] = s < 100 ? 0 : s < 250 ? 1 : 2;
        }
        RangeEncoder enc = new RangeEncoder();
        HistogramCoder a = new HistogramCoder(3);
        HistogramCoder b = new HistogramCoder(1024);
        for (long[] row : h) {
            a.encode(enc, row, Arrays.stream(row).sum(), classOf);
            b.encode(enc, row, Arrays.stream(row).sum());
        }
        byte[] bytes = enc.finish();
        RangeDecoder dec = new RangeDecoder(bytes);
        HistogramCoder da = new HistogramCoder(3);
        HistogramCoder db = new HistogramCoder(1024);
        for (long[] row : h) {
            assertArrayEquals(row, da.decode(dec, 1024, Arrays.stream(row).sum(), classOf));
            assertArrayEquals(row, db.decode(dec, 1024, Arrays.stream(row).sum()));
        }
        assertEquals(bytes.length, dec.bytesConsumed());
    }

    @Test
    void sparseCodebookHistogramsCostFarLessThanOneBitPerBin() {
        // 150 draws over 1024 bins, the audio codec's 2 s packet: most bins are 0 and the contexts learn that.
        long[][] h = sparse(8, 150, 2);
        RangeEncoder enc = new RangeEncoder();
        HistogramCoder c = new HistogramCoder(1);
        for (long[] row : h) {
            c.encode(enc, row, 150, new int[1024]);
        }
        double bitsPerBin = enc.finish().length * 8.0 / (8 * 1024);
        assertTrue(bitsPerBin < 0.6, bitsPerBin + " bits per bin");
    }

    @Test
    void countsThatExceedTheTotalAreCorruptAndAWrongSumIsRejectedAtEncode() {
        long[] row = new long[16];
        row[3] = 9;
        row[15] = 1;
        RangeEncoder enc = new RangeEncoder();
        new HistogramCoder(16).encode(enc, row, 10);
        byte[] bytes = enc.finish();
        CorruptStreamException e = assertThrows(CorruptStreamException.class,
                () -> new HistogramCoder(16).decode(new RangeDecoder(bytes), 16, 5));
        assertTrue(e.getMessage().contains("total is 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HistogramCoder(16).encode(new RangeEncoder(), row, 11));
    }

    @Test
    void exactStaticModelsSpendNothingOnAbsentSymbolsAndRefuseToCodeThem() {
        long[] counts = {0, 5, 0, 3, 0};
        StaticFrequencyModel m = StaticFrequencyModel.exact(counts);
        assertEquals(8, m.total(), "counts used as they are");
        assertEquals(0, m.freq(0));
        assertEquals(0, m.freq(4));
        for (int t = 0; t < m.total(); t++) {
            assertTrue(m.freq(m.symbolAt(t)) > 0, "target " + t + " maps to a codable symbol");
        }
        RangeCoderTest.assertRoundTrip(new int[] {1, 3, 1, 1, 3, 1, 3, 1}, m);
        assertThrows(IllegalArgumentException.class, () -> new RangeEncoder().encode(2, m));
        long[] big = {100_000, 0, 1};
        StaticFrequencyModel scaled = StaticFrequencyModel.exact(big);
        assertTrue(scaled.total() <= FrequencyModel.MAX_TOTAL && scaled.freq(2) >= 1 && scaled.freq(1) == 0);
    }
}
