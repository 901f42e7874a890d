package dev.prism.codecs.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RangeCoderTest {

    /** Geometric-like skewed source over {@code size} symbols. */
    private static int[] skewed(int n, int size, double p, long seed) {
        Random rnd = new Random(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int s = 0;
            while (s < size - 1 && rnd.nextDouble() > p) {
                s++;
            }
            out[i] = s;
        }
        return out;
    }

    private static long[] histogram(int[] symbols, int size) {
        long[] c = new long[size];
        for (int s : symbols) {
            c[s]++;
        }
        return c;
    }

    @Test
    void adaptiveRoundTripIsBitExactOnUniformRandomData() {
        Random rnd = new Random(1);
        int[] symbols = new int[50_000];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = rnd.nextInt(1024);
        }
        RangeEncoder enc = new RangeEncoder();
        AdaptiveFrequencyModel m = new AdaptiveFrequencyModel(1024);
        for (int s : symbols) {
            enc.encode(s, m);
        }
        byte[] bytes = enc.finish();
        RangeDecoder dec = new RangeDecoder(bytes);
        AdaptiveFrequencyModel m2 = new AdaptiveFrequencyModel(1024);
        int[] back = new int[symbols.length];
        for (int i = 0; i < back.length; i++) {
            back[i] = dec.decode(m2);
        }
        assertArrayEquals(symbols, back);
        assertEquals(bytes.length, dec.bytesConsumed(), "decoder must consume exactly the coded bytes");
        // Uniform 10-bit symbols cannot be compressed; the adaptive coder may cost only a little more.
        assertTrue(bytes.length * 8.0 < symbols.length * 10 * 1.02, "coded " + bytes.length + " bytes");
    }

    @Test
    void adaptiveModelCompressesSkewedDataNearItsEntropy() {
        int[] symbols = skewed(200_000, 64, 0.3, 2);
        RangeEncoder enc = new RangeEncoder();
        AdaptiveFrequencyModel m = new AdaptiveFrequencyModel(64);
        for (int s : symbols) {
            enc.encode(s, m);
        }
        byte[] bytes = enc.finish();
        double ideal = Entropy.shannonBits(histogram(symbols, 64));
        assertTrue(bytes.length * 8.0 < ideal * 1.03, bytes.length * 8 + " bits vs entropy " + ideal);
        RangeDecoder dec = new RangeDecoder(bytes);
        AdaptiveFrequencyModel m2 = new AdaptiveFrequencyModel(64);
        for (int s : symbols) {
            assertEquals(s, dec.decode(m2));
        }
    }

    @Test
    void staticModelCodedSizeIsWithinOnePercentOfShannonEntropy() {
        int[] symbols = skewed(150_000, 256, 0.05, 3);
        long[] counts = histogram(symbols, 256);
        StaticFrequencyModel model = StaticFrequencyModel.fromCounts(counts);
        RangeEncoder enc = new RangeEncoder();
        for (int s : symbols) {
            enc.encode(s, model);
        }
        byte[] bytes = enc.finish();
        double ideal = Entropy.shannonBits(counts);
        double ratio = bytes.length * 8.0 / ideal;
        assertTrue(ratio >= 1.0 - 1e-9, "cannot beat the entropy: ratio " + ratio);
        assertTrue(ratio < 1.01, "coded size " + bytes.length * 8 + " bits vs entropy " + ideal + " (ratio " + ratio + ")");
        RangeDecoder dec = new RangeDecoder(bytes);
        for (int s : symbols) {
            assertEquals(s, dec.decode(model));
        }
        assertEquals(bytes.length, dec.bytesConsumed());
    }

    @Test
    void rawBitsInterleaveWithModelledSymbols() {
        Random rnd = new Random(4);
        int n = 20_000;
        int[] vals = new int[n];
        int[] widths = new int[n];
        RangeEncoder enc = new RangeEncoder();
        AdaptiveFrequencyModel m = new AdaptiveFrequencyModel(5);
        for (int i = 0; i < n; i++) {
            widths[i] = 1 + rnd.nextInt(16);
            vals[i] = (i % 3 == 0) ? rnd.nextInt(5) : rnd.nextInt(1 << widths[i]);
            if (i % 3 == 0) {
                enc.encode(vals[i], m);
            } else {
                enc.encodeBits(vals[i], widths[i]);
            }
        }
        byte[] bytes = enc.finish();
        RangeDecoder dec = new RangeDecoder(bytes);
        AdaptiveFrequencyModel m2 = new AdaptiveFrequencyModel(5);
        for (int i = 0; i < n; i++) {
            int v = (i % 3 == 0) ? dec.decode(m2) : dec.decodeBits(widths[i]);
            assertEquals(vals[i], v, "value " + i);
        }
    }

    @Test
    void extremeSkewAndCarryHeavyStreamsRoundTrip() {
        // Almost always symbol 0 with total near 2^16 drives long 0xFF runs and carries.
        long[] counts = new long[3];
        counts[0] = 1_000_000;
        counts[1] = 1;
        counts[2] = 1;
        StaticFrequencyModel model = StaticFrequencyModel.fromCounts(counts);
        Random rnd = new Random(5);
        int[] symbols = new int[300_000];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = rnd.nextInt(10_000) == 0 ? 1 + rnd.nextInt(2) : 0;
        }
        assertRoundTrip(symbols, model);
    }

    /** Codes {@code symbols} with a static {@code model}, decodes them back and checks every byte is read. */
    static void assertRoundTrip(int[] symbols, FrequencyModel model) {
        RangeEncoder enc = new RangeEncoder();
        for (int s : symbols) {
            enc.encode(s, model);
        }
        byte[] bytes = enc.finish();
        RangeDecoder dec = new RangeDecoder(bytes);
        for (int s : symbols) {
            assertEquals(s, dec.decode(model));
        }
        assertEquals(bytes.length, dec.bytesConsumed());
    }

    @Test
    void emptyStreamIsFourBytesAndDecodesNothing() {
        byte[] bytes = new RangeEncoder().finish();
        assertEquals(4, bytes.length);
        assertEquals(4, new RangeDecoder(bytes).bytesConsumed());
    }

    @Test
    void truncatedInputThrowsCorruptStreamExceptionNamingTheOffset() {
        int[] symbols = skewed(5_000, 32, 0.2, 6);
        RangeEncoder enc = new RangeEncoder();
        AdaptiveFrequencyModel m = new AdaptiveFrequencyModel(32);
        for (int s : symbols) {
            enc.encode(s, m);
        }
        byte[] bytes = enc.finish();
        for (int cut : new int[] {0, 3, bytes.length / 2, bytes.length - 1}) {
            CorruptStreamException e = assertThrows(CorruptStreamException.class, () -> {
                RangeDecoder dec = new RangeDecoder(bytes, 0, cut);
                AdaptiveFrequencyModel m2 = new AdaptiveFrequencyModel(32);
                for (int i = 0; i < symbols.length; i++) {
                    dec.decode(m2);
                }
            });
            assertEquals(cut, e.offset(), "truncation must be reported where the data ends");
            assertTrue(e.getMessage().contains("byte offset " + cut), e.getMessage());
        }
    }

    @Test
    void decodingFromAnOffsetSliceMatches() {
        int[] symbols = skewed(1_000, 16, 0.4, 7);
        RangeEncoder enc = new RangeEncoder();
        StaticFrequencyModel model = StaticFrequencyModel.fromCounts(histogram(symbols, 16));
        for (int s : symbols) {
            enc.encode(s, model);
        }
        byte[] bytes = enc.finish();
        byte[] padded = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, padded, 7, bytes.length);
        RangeDecoder dec = new RangeDecoder(padded, 7, bytes.length);
        for (int s : symbols) {
            assertEquals(s, dec.decode(model));
        }
    }

    @Test
    void staticModelSerialisesCompactlyAndExactly() throws IOException {
        long[] counts = {0, 5, 100_000, 3, 0, 77, 12_345};
        StaticFrequencyModel m = StaticFrequencyModel.fromCounts(counts);
        assertTrue(m.total() <= 1 << 16);
        for (int s = 0; s < counts.length; s++) {
            assertTrue(m.freq(s) >= 1, "every symbol stays codable");
            assertEquals(s, m.symbolAt(m.low(s)));
            assertEquals(s, m.symbolAt(m.low(s) + m.freq(s) - 1));
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        m.writeTo(new DataOutputStream(bos));
        StaticFrequencyModel back = StaticFrequencyModel.readFrom(new DataInputStream(new ByteArrayInputStream(bos.toByteArray())));
        for (int s = 0; s < counts.length; s++) {
            assertEquals(m.freq(s), back.freq(s));
        }
    }

    @Test
    void adaptiveModelKeepsTotalBoundedAndCumulativesConsistent() {
        AdaptiveFrequencyModel m = new AdaptiveFrequencyModel(1000);
        Random rnd = new Random(8);
        for (int i = 0; i < 20_000; i++) {
            m.update(rnd.nextInt(10));
            assertTrue(m.total() <= 1 << 16);
        }
        int sum = 0;
        for (int s = 0; s < m.size(); s++) {
            assertEquals(sum, m.low(s));
            assertTrue(m.freq(s) >= 1);
            assertEquals(s, m.symbolAt(sum));
            sum += m.freq(s);
        }
        assertEquals(sum, m.total());
    }

    @Test
    void shannonBitsMatchesTheFormula() {
        assertEquals(4.0, Entropy.shannonBits(new long[] {2, 2}), 1e-12);
        assertEquals(0.0, Entropy.shannonBits(new long[] {7, 0}), 1e-12);
        double expected = -(1 * Math.log(0.25) + 3 * Math.log(0.75)) / Math.log(2);
        assertEquals(expected, Entropy.shannonBits(new long[] {1, 3}), 1e-9);
    }
}
