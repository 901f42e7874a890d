package dev.prism.codecs.gaussian;

/**
 * V^3 packing of a frame's Gaussians into 2D images and back (ALGORITHMS.md 8.2, after VideoGS
 * {@code compress_ckpt_2_image_precompute.py} / {@code decompress_video_2_ckpt.py}).
 *
 * <p>Image indices: 0, 2, 4 = x, y, z low bytes; 1, 3, 5 = high bytes (16-bit positions); 6-8 normals (always
 * zero); 9-11 f_dc; 12 opacity; 13-15 scale; 16-19 rotation; 20.. the higher SH coefficients (one per column, only
 * when SH degree > 0). Values are min-max normalised per frame and column and truncated like the reference;
 * a column whose min equals its max (the all-zero normals, or a constant attribute) is written as zeros and read
 * back as min, the guard the reference lacks. Rotations are normalised to unit quaternions before packing
 * (render-space conversion; scales and opacities are already in render space in {@link GaussianFrame}).
 */
public final class V3Packer {
    /** Frames per group in V^3 (constant count and order inside a group). */
    public static final int GROUP_SIZE = 20;
    private static final int BASE_COLUMNS = 17;

    private V3Packer() {
    }

    public static int columns(int shDegree) {
        return BASE_COLUMNS + GaussianFrame.shRestPerGaussian(shDegree);
    }

    public static int planeCount(int shDegree) {
        return columns(shDegree) + 3;
    }

    /** S = the smallest multiple of 8 with S*S >= count. */
    public static int side(int count) {
        int s = (int) Math.ceil(Math.sqrt(count));
        while ((long) s * s < count) s++;
        return Math.max(8, (s + 7) / 8 * 8);
    }

    /** Whether an image index holds a 16-bit position high byte (coded losslessly, QP 0). */
    public static boolean isHighByte(int plane) {
        return plane == 1 || plane == 3 || plane == 5;
    }

    /** The reference QP policy: 0 for the high bytes, min(requested, 22) for colour, scale, rotation, SH; else requested. */
    public static int planeQp(int plane, int requestedQp) {
        if (isHighByte(plane)) return 0;
        if ((plane >= 9 && plane <= 11) || plane >= 13) return Math.min(requestedQp, 22);
        return requestedQp;
    }

    public static V3PackedFrame pack(GaussianFrame f) {
        int n = f.count();
        int side = side(n);
        int cols = columns(f.shDegree());
        byte[][] planes = new byte[planeCount(f.shDegree())][side * side];
        float[] min = new float[cols];
        float[] max = new float[cols];
        float[] column = new float[n];
        for (int c = 0; c < cols; c++) {
            fillColumn(f, c, column);
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                lo = Math.min(lo, column[i]);
                hi = Math.max(hi, column[i]);
            }
            if (n == 0) lo = hi = 0;
            min[c] = lo;
            max[c] = hi;
            double range = (double) hi - lo;
            if (c < 3) {
                byte[] low = planes[2 * c];
                byte[] high = planes[2 * c + 1];
                for (int i = 0; i < n; i++) {
                    int v = range > 0 ? (int) ((column[i] - lo) / range * 65535.0) : 0;
                    low[i] = (byte) v;
                    high[i] = (byte) (v >>> 8);
                }
            } else {
                byte[] p = planes[c + 3];
                for (int i = 0; i < n; i++) p[i] = (byte) (range > 0 ? (int) ((column[i] - lo) / range * 255.0) : 0);
            }
        }
        return new V3PackedFrame(side, n, f.shDegree(), planes, min, max);
    }

    public static GaussianFrame unpack(V3PackedFrame p) {
        int n = p.count();
        GaussianFrame f = GaussianFrame.allocate(n, p.shDegree());
        float[] column = new float[n];
        for (int c = 0; c < columns(p.shDegree()); c++) {
            double lo = p.min()[c];
            double range = (double) p.max()[c] - lo;
            if (c < 3) {
                byte[] low = p.planes()[2 * c];
                byte[] high = p.planes()[2 * c + 1];
                for (int i = 0; i < n; i++) {
                    int v16 = (low[i] & 0xFF) | ((high[i] & 0xFF) << 8);
                    column[i] = (float) (range > 0 ? v16 / 65535.0 * range + lo : lo);
                }
            } else {
                byte[] pl = p.planes()[c + 3];
                for (int i = 0; i < n; i++) column[i] = (float) (range > 0 ? (pl[i] & 0xFF) / 255.0 * range + lo : lo);
            }
            storeColumn(f, c, column);
        }
        return f;
    }

    /** Column c of the reference's 17-column layout (plus SH rest) as one float per Gaussian. */
    private static void fillColumn(GaussianFrame f, int c, float[] out) {
        int n = f.count();
        if (c >= 3 && c < 6) {
            java.util.Arrays.fill(out, 0, n, 0f);
            return;
        }
        if (c >= 13 && c < 17) {
            int comp = c - 13;
            float[] r = f.rotations();
            for (int i = 0; i < n; i++) {
                float w = r[i * 4], x = r[i * 4 + 1], y = r[i * 4 + 2], z = r[i * 4 + 3];
                float norm = (float) Math.sqrt(w * w + x * x + y * y + z * z);
                out[i] = norm > 0 ? r[i * 4 + comp] / norm : (comp == 0 ? 1f : 0f);
            }
            return;
        }
        Source s = source(f, c);
        for (int i = 0; i < n; i++) out[i] = s.array[i * s.width + s.component];
    }

    private static void storeColumn(GaussianFrame f, int c, float[] in) {
        if (c >= 3 && c < 6) return;
        Source s = c >= 13 && c < 17 ? new Source(f.rotations(), 4, c - 13) : source(f, c);
        for (int i = 0; i < f.count(); i++) s.array[i * s.width + s.component] = in[i];
    }

    private record Source(float[] array, int width, int component) {
    }

    private static Source source(GaussianFrame f, int c) {
        if (c < 3) return new Source(f.positions(), 3, c);
        if (c < 9) return new Source(f.colors(), 3, c - 6);
        if (c == 9) return new Source(f.opacities(), 1, 0);
        if (c < 13) return new Source(f.scales(), 3, c - 10);
        return new Source(f.shRest(), GaussianFrame.shRestPerGaussian(f.shDegree()), c - 17);
    }
}
