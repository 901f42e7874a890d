package dev.prism.codecs.gaussian;

import dev.prism.codecs.gaussian.GaussianFrame.Attribute;

import java.util.zip.CRC32;

import static dev.prism.codecs.gaussian.QueenRecordFormat.*;

/**
 * Receiver of the QUEEN-style stream written by {@link QueenEncoder} (ALGORITHMS.md 8.1): keyframes replace the
 * state, delta frames add the dequantized residuals to it (positions only for the gated indices). Every record is
 * validated (magic, version, CRC, sizes, index order, continuity with the state) and rejected with a
 * {@link GaussianStreamException} that says what was wrong; a rejected record leaves the state untouched.
 */
public final class QueenDecoder {
    /** Default ceiling on Gaussians per frame; QUEEN and V^3 scenes stay well below it. */
    public static final int DEFAULT_MAX_GAUSSIANS = 1 << 21;

    private final int maxGaussians;
    private GaussianFrame state;
    private int lastIndex = -1;

    public QueenDecoder() {
        this(DEFAULT_MAX_GAUSSIANS);
    }

    /** @param maxGaussians records declaring more Gaussians are rejected before anything is allocated */
    public QueenDecoder(int maxGaussians) {
        if (maxGaussians < 1 || maxGaussians > MAX_COUNT) throw new IllegalArgumentException("maxGaussians must be in 1.." + MAX_COUNT);
        this.maxGaussians = maxGaussians;
    }

    /** The current decoded frame (shared; copy it to keep it); null before the first keyframe. */
    public GaussianFrame state() {
        return state;
    }

    public GaussianFrame decode(byte[] record) {
        if (record == null) throw new GaussianStreamException("Gaussian record is null");
        return decode(record, 0, record.length);
    }

    public GaussianFrame decode(byte[] buf, int offset, int length) {
        String src = "Gaussian stream record (" + length + " bytes)";
        if (length < 4 + 1 + 1 + 4 + 4 + 1 + 24 + 4) {
            throw new GaussianStreamException(src + " is shorter than a record header; it is truncated or not a Gaussian stream record");
        }
        ByteReader in = new ByteReader(buf, offset, length - 4, src);
        if (in.i32("magic") != MAGIC) throw new GaussianStreamException(src + " does not start with the QGS1 magic; it is not a Gaussian stream record");
        int version = in.u8("version");
        if (version != VERSION) throw new GaussianStreamException(src + " has format version " + version + ", this decoder reads version " + VERSION + "; upgrade Prism");
        CRC32 crc = new CRC32();
        crc.update(buf, offset, length - 4);
        int stored = new ByteReader(buf, offset + length - 4, 4, src).i32("crc");
        if ((int) crc.getValue() != stored) throw new GaussianStreamException(src + " fails its CRC-32 check; it was corrupted in transit, re-fetch it");
        int type = in.u8("type");
        if (type != TYPE_KEY && type != TYPE_DELTA) throw in.error("unknown frame type " + type);
        int index = in.i32("frame index");
        int count = in.i32("count");
        if (count < 0 || count > maxGaussians) {
            throw in.error("Gaussian count " + count + " out of range [0, " + maxGaussians + "] (raise the decoder's maxGaussians for larger scenes)");
        }
        int shDegree = in.u8("SH degree");
        if (shDegree > 3) throw in.error("SH degree " + shDegree + " is not in 0..3");
        float[] steps = new float[Attribute.values().length];
        steps[0] = 1f / in.f32("position scale");
        for (int a = 1; a < steps.length; a++) steps[a] = in.f32("quantization step");
        for (float s : steps) if (!(s > 0) || Float.isInfinite(s)) throw in.error("invalid quantization step " + s);
        GaussianFrame next;
        if (type == TYPE_KEY) {
            next = GaussianFrame.allocate(count, shDegree);
            for (Attribute a : Attribute.values()) decodeKey(in, next, a, steps[a.ordinal()]);
        } else {
            if (state == null) throw new GaussianStreamException(src + " is a delta frame (index " + index + ") but no keyframe was decoded first; start from a keyframe");
            if (index != lastIndex + 1) throw new GaussianStreamException(src + " is delta frame " + index + " but the last decoded frame is " + lastIndex + "; a record is missing, resume at the next keyframe");
            if (count != state.count() || shDegree != state.shDegree()) {
                throw new GaussianStreamException(src + " is a delta of " + count + " Gaussians (SH " + shDegree + ") against a state of " + state.count() + " (SH " + state.shDegree() + ")");
            }
            next = state.copy();
            decodePositionsDelta(in, next, steps[0]);
            for (Attribute a : Attribute.values()) if (a != Attribute.POSITION) decodeDelta(in, next, a, steps[a.ordinal()]);
        }
        if (in.remaining() != 0) throw in.error(in.remaining() + " unexpected trailing bytes");
        state = next;
        lastIndex = index;
        return state;
    }

    private static void decodeKey(ByteReader in, GaussianFrame f, Attribute a, float step) {
        float[] dst = f.attribute(a);
        int w = a.width(f.shDegree());
        int[] diff = TailExceptionCoder.read(in, dst.length, a.name());
        int[] prev = new int[w];
        for (int j = 0; j < dst.length; j++) {
            int c = j % w;
            int q = prev[c] + diff[j];
            prev[c] = q;
            dst[j] = reconstruct(q, step);
        }
    }

    private static void decodePositionsDelta(ByteReader in, GaussianFrame f, float step) {
        int n = f.count();
        int g = in.i32("gated count");
        if (g < 0 || g > n) throw in.error("gated count " + g + " out of range [0, " + n + "]");
        int width = in.u8("index width");
        if (width != indexWidth(n)) throw in.error("index width " + width + " does not match " + indexWidth(n) + " for " + n + " Gaussians");
        int[] idx = new int[g];
        int last = -1;
        for (int e = 0; e < g; e++) {
            int v = 0;
            for (int b = 0; b < width; b++) v = (v << 8) | in.u8("gated index");
            if (v <= last || v >= n) throw in.error("gated index " + v + " is out of order or beyond " + n);
            idx[e] = last = v;
        }
        int[] q = TailExceptionCoder.read(in, g * 3, "POSITION");
        float[] pos = f.positions();
        for (int e = 0; e < g; e++) {
            for (int c = 0; c < 3; c++) {
                int k = idx[e] * 3 + c;
                pos[k] = addResidual(pos[k], q[e * 3 + c], step);
            }
        }
    }

    private static void decodeDelta(ByteReader in, GaussianFrame f, Attribute a, float step) {
        float[] dst = f.attribute(a);
        int[] q = TailExceptionCoder.read(in, dst.length, a.name());
        for (int j = 0; j < dst.length; j++) dst[j] = addResidual(dst[j], q[j], step);
    }
}
