package dev.prism.deploy.dashboard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The frames endpoint's body, read by the page's js/view3d.js: "PSF1", int32 total stored frames, int32 n, then
 * per frame int32 index, int32 count, float32 pts (seconds, -1 when unknown), and float32 arrays positions (3 per
 * Gaussian), scales (3, linear standard deviations), rotations (4, w x y z), colours (3, linear RGB in [0,1]) and
 * opacities (1). Little-endian, so a browser reads the arrays without copying byte by byte.
 */
final class SplatBatch {

    static final int MAGIC = 0x31465350; // "PSF1" read little-endian

    /** One frame, already in render terms (RGB, not SH coefficients). */
    record Frame(int index, double pts, int count, float[] positions, float[] scales, float[] rotations,
                 float[] colors, float[] opacities) {
    }

    private SplatBatch() {
    }

    static byte[] empty() {
        return write(0, List.of());
    }

    static byte[] write(int total, List<Frame> frames) {
        int size = 12;
        for (Frame f : frames) size += 12 + f.count() * 14 * 4;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(total).putInt(frames.size());
        for (Frame f : frames) {
            b.putInt(f.index()).putInt(f.count()).putFloat((float) f.pts());
            for (float[] a : List.of(f.positions(), f.scales(), f.rotations(), f.colors(), f.opacities())) {
                for (float v : a) b.putFloat(v);
            }
        }
        return b.array();
    }
}
