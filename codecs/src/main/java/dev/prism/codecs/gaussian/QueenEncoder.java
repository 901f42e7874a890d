package dev.prism.codecs.gaussian;

import dev.prism.codecs.gaussian.GaussianFrame.Attribute;

import java.util.stream.IntStream;
import java.util.zip.CRC32;

import static dev.prism.codecs.gaussian.QueenRecordFormat.*;

/**
 * QUEEN-style temporal encoder (ALGORITHMS.md 8.1, CPU approximation): a keyframe every
 * {@link QueenConfig#keyframeInterval()} frames (and whenever the Gaussian count or SH degree changes); in between,
 * per-attribute residuals against the previous <em>decoded</em> frame, quantized with a fixed step (identity latent
 * decoder), positions gated by thresholding the motion (the spec's stand-in for the learned hard-concrete gate),
 * every block entropy-coded by {@link TailExceptionCoder}. The encoder keeps the decoder's state as its reference.
 */
public final class QueenEncoder {
    private final QueenConfig config;
    private GaussianFrame reference;
    private int frameIndex;
    private boolean forceKey;

    public QueenEncoder(QueenConfig config) {
        this.config = config;
    }

    /** Whether the next {@link #encode} call will produce a keyframe for a frame shaped like the reference. */
    public boolean nextIsKeyframe() {
        return reference == null || forceKey || frameIndex % config.keyframeInterval() == 0;
    }

    /** Makes the next frame a keyframe (e.g. after a scene cut or a new Gaussian layout). */
    public void forceKeyframe() {
        forceKey = true;
    }

    /** The decoded state after the last frame, exactly what a decoder holds; null before the first frame. */
    public GaussianFrame reference() {
        return reference;
    }

    public EncodedGaussianFrame encode(GaussianFrame frame) {
        return encode(frame, null);
    }

    /**
     * Encodes with externally learned per-Gaussian gates in [0, 1] (for example {@link HardConcreteGate#inference}
     * of trained log alphas): xyz = decoded + gate * (xyz - decoded), and only Gaussians with gate > 0 are sent.
     * Null gates mean the motion threshold. Gates are ignored on keyframes.
     */
    public EncodedGaussianFrame encode(GaussianFrame frame, float[] gates) {
        if (gates != null && gates.length != frame.count()) {
            throw new IllegalArgumentException("need one gate per Gaussian: " + frame.count() + ", got " + gates.length);
        }
        boolean key = nextIsKeyframe() || frame.count() != reference.count() || frame.shDegree() != reference.shDegree();
        ByteWriter out = new ByteWriter(64 + frame.count() * 4);
        out.i32(MAGIC);
        out.u8(VERSION);
        out.u8(key ? TYPE_KEY : TYPE_DELTA);
        out.i32(frameIndex);
        out.i32(frame.count());
        out.u8(frame.shDegree());
        out.f32(config.positionScale());
        for (Attribute a : Attribute.values()) if (a != Attribute.POSITION) out.f32(config.step(a));
        int sent;
        Attribute[] attrs = Attribute.values();
        ByteWriter[] blocks = new ByteWriter[attrs.length];
        if (key) {
            reference = GaussianFrame.allocate(frame.count(), frame.shDegree());
            sent = frame.count();
        } else {
            blocks[0] = new ByteWriter(64);
            sent = encodePositionsDelta(frame, gates, blocks[0]);
        }
        // Attribute blocks are independent (disjoint reference arrays, separate buffers): code them in parallel.
        IntStream.range(key ? 0 : 1, attrs.length).parallel().forEach(a -> {
            blocks[a] = new ByteWriter(frame.count() + 64);
            if (key) encodeKey(frame, attrs[a], blocks[a]);
            else encodeDelta(frame, attrs[a], blocks[a]);
        });
        for (ByteWriter b : blocks) out.bytes(b.buffer(), 0, b.size());
        CRC32 crc = new CRC32();
        byte[] body = out.toByteArray();
        crc.update(body, 0, body.length);
        out.i32((int) crc.getValue());
        forceKey = false;
        return new EncodedGaussianFrame(out.toByteArray(), frameIndex++, key, frame.count(), sent);
    }

    private void encodeKey(GaussianFrame frame, Attribute a, ByteWriter out) {
        float step = config.step(a);
        int w = a.width(frame.shDegree());
        float[] src = frame.attribute(a);
        float[] ref = reference.attribute(a);
        int[] diff = new int[src.length];
        int[] prev = new int[w];
        for (int j = 0; j < src.length; j++) {
            int q = quantize(src[j], step, a.name());
            ref[j] = reconstruct(q, step);
            int c = j % w;
            diff[j] = q - prev[c];
            prev[c] = q;
        }
        TailExceptionCoder.write(diff, config.tailProbability(), out);
    }

    private int encodePositionsDelta(GaussianFrame frame, float[] gates, ByteWriter out) {
        float[] src = frame.positions();
        float[] ref = reference.positions();
        int n = frame.count();
        float thr = config.gateThreshold();
        int[] gated = new int[n];
        int g = 0;
        for (int i = 0; i < n; i++) {
            int k = i * 3;
            if (gates != null) {
                if (gates[i] > 0) gated[g++] = i;
                continue;
            }
            float d = Math.max(Math.abs(src[k] - ref[k]), Math.max(Math.abs(src[k + 1] - ref[k + 1]), Math.abs(src[k + 2] - ref[k + 2])));
            if (d > thr) gated[g++] = i;
        }
        out.i32(g);
        int width = indexWidth(n);
        out.u8(width);
        for (int e = 0; e < g; e++) {
            int idx = gated[e];
            for (int b = width - 1; b >= 0; b--) out.u8(idx >>> (8 * b));
        }
        float step = config.step(Attribute.POSITION);
        int[] q = new int[g * 3];
        for (int e = 0; e < g; e++) {
            for (int c = 0; c < 3; c++) {
                int k = gated[e] * 3 + c;
                float delta = src[k] - ref[k];
                if (gates != null) delta *= Math.min(1f, gates[gated[e]]);
                int v = quantize(delta, step, "POSITION residual");
                q[e * 3 + c] = v;
                ref[k] = addResidual(ref[k], v, step);
            }
        }
        TailExceptionCoder.write(q, config.tailProbability(), out);
        return g;
    }

    private void encodeDelta(GaussianFrame frame, Attribute a, ByteWriter out) {
        float step = config.step(a);
        float[] src = frame.attribute(a);
        float[] ref = reference.attribute(a);
        int[] q = new int[src.length];
        String label = a.name() + " residual";
        for (int j = 0; j < src.length; j++) {
            int v = quantize(src[j] - ref[j], step, label);
            q[j] = v;
            ref[j] = addResidual(ref[j], v, step);
        }
        TailExceptionCoder.write(q, config.tailProbability(), out);
    }
}
