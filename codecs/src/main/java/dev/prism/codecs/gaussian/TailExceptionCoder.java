package dev.prism.codecs.gaussian;

import dev.prism.codecs.entropy.CorruptStreamException;
import dev.prism.codecs.entropy.RangeDecoder;
import dev.prism.codecs.entropy.RangeEncoder;
import dev.prism.codecs.entropy.StaticFrequencyModel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * QUEEN's entropy stage for integer latents ({@code CompressedLatents}, ALGORITHMS.md 8.1 "Entropy coder"):
 * count symbol frequencies, treat symbols with probability at or below the tail cut as exceptions (coded as the
 * mode, their positions and true values stored apart), build one static CDF over the rest, and range-code every
 * value with the shared coder of {@code dev.prism.codecs.entropy}. The block carries its value-to-index mapping
 * and its model, so it decodes on its own.
 *
 * <p>Block layout: varint n; varint k (distinct kept symbols); first symbol (zigzag) then ascending gaps;
 * if k > 1 the model (varint length + {@link StaticFrequencyModel#writeTo}); varint e (exceptions), then per
 * exception the position gap and the value (zigzag); if k > 1 the range-coded payload (varint length + bytes).
 */
final class TailExceptionCoder {
    /** Keeps the static table small enough for a 16-bit total with every frequency >= 1. */
    static final int MAX_SYMBOLS = 1 << 14;
    private static final int DENSE_RANGE = 1 << 22;

    private TailExceptionCoder() {
    }

    static void write(int[] values, double tailProbability, ByteWriter out) {
        int n = values.length;
        out.varint(n);
        if (n == 0) {
            out.varint(0);
            return;
        }
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        // Distinct symbols and their counts, ascending.
        int[] distinct;
        long[] counts;
        long range = (long) max - min + 1;
        if (range <= DENSE_RANGE) {
            int[] dense = new int[(int) range];
            for (int v : values) dense[v - min]++;
            int k = 0;
            for (int c : dense) if (c > 0) k++;
            distinct = new int[k];
            counts = new long[k];
            k = 0;
            for (int i = 0; i < dense.length; i++) {
                if (dense[i] > 0) {
                    distinct[k] = min + i;
                    counts[k++] = dense[i];
                }
            }
        } else {
            int[] sorted = values.clone();
            Arrays.sort(sorted);
            int k = 1;
            for (int i = 1; i < n; i++) if (sorted[i] != sorted[i - 1]) k++;
            distinct = new int[k];
            counts = new long[k];
            k = -1;
            for (int i = 0; i < n; i++) {
                if (i == 0 || sorted[i] != sorted[i - 1]) distinct[++k] = sorted[i];
                counts[k]++;
            }
        }
        // Tail cut: p <= tailProbability becomes an exception; keep at least the mode, at most MAX_SYMBOLS.
        int mode = 0;
        for (int i = 1; i < counts.length; i++) if (counts[i] > counts[mode]) mode = i;
        long cut = (long) Math.floor(tailProbability * n);
        if (counts.length > MAX_SYMBOLS) {
            long[] sortedCounts = counts.clone();
            Arrays.sort(sortedCounts);
            cut = Math.max(cut, sortedCounts[sortedCounts.length - MAX_SYMBOLS]);
        }
        int kept = 0;
        for (int i = 0; i < counts.length; i++) if (counts[i] > cut || i == mode) kept++;
        int[] symbols = new int[kept];
        long[] keptCounts = new long[kept];
        int modeIndex = 0;
        kept = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > cut || i == mode) {
                if (i == mode) modeIndex = kept;
                symbols[kept] = distinct[i];
                keptCounts[kept++] = counts[i];
            }
        }
        // Value -> symbol index: a direct table when the values span a small range, else binary search.
        int[] lookup = null;
        if (range <= DENSE_RANGE) {
            lookup = new int[(int) range];
            Arrays.fill(lookup, -1);
            for (int k = 0; k < kept; k++) lookup[symbols[k] - min] = k;
        }
        int[] index = new int[n];
        int exceptions = 0;
        for (int i = 0; i < n; i++) {
            int s = lookup != null ? lookup[values[i] - min] : Arrays.binarySearch(symbols, values[i]);
            if (s < 0) {
                s = modeIndex;
                exceptions++;
                keptCounts[modeIndex]++;
            }
            index[i] = s;
        }
        out.varint(kept);
        out.zigzag(symbols[0]);
        for (int i = 1; i < kept; i++) out.varint((long) symbols[i] - symbols[i - 1]);
        StaticFrequencyModel model = null;
        if (kept > 1) {
            model = StaticFrequencyModel.fromCounts(keptCounts);
            byte[] m = serialise(model);
            out.varint(m.length);
            out.bytes(m, 0, m.length);
        }
        out.varint(exceptions);
        int last = -1;
        for (int i = 0; i < n && exceptions > 0; i++) {
            if (symbols[index[i]] != values[i]) {
                out.varint(i - last - 1);
                out.zigzag(values[i]);
                last = i;
            }
        }
        if (model != null) {
            RangeEncoder enc = new RangeEncoder();
            for (int s : index) enc.encode(s, model);
            byte[] payload = enc.finish();
            out.varint(payload.length);
            out.bytes(payload, 0, payload.length);
        }
    }

    private static byte[] serialise(StaticFrequencyModel model) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream dos = new DataOutputStream(bos);
            model.writeTo(dos);
            dos.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one block that must hold exactly {@code expected} values. */
    static int[] read(ByteReader in, int expected, String what) {
        int n = in.count(what + " value count", Integer.MAX_VALUE);
        if (n != expected) throw in.error(what + " holds " + n + " values where the header implies " + expected);
        int kept = in.count(what + " symbol count", MAX_SYMBOLS);
        if (n == 0) {
            if (kept != 0) throw in.error(what + " declares symbols for an empty block");
            return new int[0];
        }
        if (kept == 0) throw in.error(what + " declares no symbols for " + n + " values");
        int[] symbols = new int[kept];
        long s = in.zigzag(what + " first symbol");
        symbols[0] = (int) s;
        for (int i = 1; i < kept; i++) {
            s += in.count(what + " symbol gap", 0xFFFFFFFFL);
            if (s > Integer.MAX_VALUE) throw in.error(what + " symbol table overflows int range");
            symbols[i] = (int) s;
        }
        StaticFrequencyModel model = null;
        if (kept > 1) {
            int len = in.count(what + " model length", in.remaining());
            int at = in.slice(len, what + " model");
            try {
                model = StaticFrequencyModel.readFrom(new DataInputStream(new ByteArrayInputStream(in.array(), at, len)));
            } catch (IOException | RuntimeException e) {
                throw new GaussianStreamException(what + ": frequency model at byte offset " + at + " is unreadable (" + e + ")", e);
            }
            if (model.size() != kept) throw in.error(what + " model has " + model.size() + " symbols, table has " + kept);
        }
        int exceptions = in.count(what + " exception count", n);
        int[] exPos = new int[exceptions];
        int[] exVal = new int[exceptions];
        long pos = -1;
        for (int e = 0; e < exceptions; e++) {
            pos += 1 + in.count(what + " exception gap", n);
            if (pos >= n) throw in.error(what + " exception position " + pos + " is beyond " + n + " values");
            exPos[e] = (int) pos;
            exVal[e] = in.zigzag(what + " exception value");
        }
        int[] values = new int[n];
        if (model == null) {
            Arrays.fill(values, symbols[0]);
        } else {
            int len = in.count(what + " payload length", in.remaining());
            int at = in.slice(len, what + " payload");
            try {
                RangeDecoder dec = new RangeDecoder(in.array(), at, len);
                for (int i = 0; i < n; i++) values[i] = symbols[dec.decode(model)];
            } catch (CorruptStreamException | ArrayIndexOutOfBoundsException e) {
                throw new GaussianStreamException(what + ": range-coded payload at byte offset " + at + " is corrupt ("
                        + e.getMessage() + "); re-fetch or re-encode the record", e);
            }
        }
        for (int e = 0; e < exceptions; e++) values[exPos[e]] = exVal[e];
        return values;
    }
}
