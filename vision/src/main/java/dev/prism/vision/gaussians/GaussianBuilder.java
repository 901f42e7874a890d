package dev.prism.vision.gaussians;

import dev.prism.codecs.gaussian.GaussianFrame;
import dev.prism.vision.render.PinholeCamera;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Builds one frame of 3D Gaussians from an RGB frame and a metric depth map (issue 8, step 2; the stand-in for the
 * per-frame 3DGS training of QUEEN / V^3, ALGORITHMS.md 8).
 *
 * <ol>
 *   <li>Layout (at keyframes): a quadtree over tiles of {@code maxBlock} pixels keeps a block merged while its
 *       relative depth spread and colour spread, in units of the tolerances, stay under a threshold tau; tau is
 *       the smallest (found by bisection) whose blocks fit the budget, so merging stops once the budget is met
 *       and the most similar neighbours merge first.</li>
 *   <li>Attributes (every frame, same layout): position = the block centre unprojected at its mean depth; rotation
 *       = the frame (tangent u, tangent v, normal) from central depth differences over windows shifted by half a
 *       block; scale = the block footprint along each tangent at its depth times {@code scaleFactor}, thin along
 *       the normal; colour = SH DC of the mean colour; opacity = {@code opacity} times the valid-depth fraction.</li>
 * </ol>
 * One frame at a time per instance (the summed-area buffers are reused between frames); blocks of a frame are
 * built in parallel.
 */
public final class GaussianBuilder {
    private final GaussianBuildConfig config;
    private final PixelIntegrals integrals = new PixelIntegrals();

    public GaussianBuilder(GaussianBuildConfig config) {
        this.config = config;
    }

    public GaussianBuildConfig config() {
        return config;
    }

    private static void checkFrame(int width, int height, byte[] rgb, float[] depth) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        if (rgb == null || rgb.length != width * height * 3) {
            throw new IllegalArgumentException("RGB frame of " + width + "x" + height + " needs " + width * height * 3 + " bytes, got " + (rgb == null ? "null" : rgb.length));
        }
        if (depth == null || depth.length != width * height) {
            throw new IllegalArgumentException("depth map of " + width + "x" + height + " needs " + width * height + " floats, got " + (depth == null ? "null" : depth.length));
        }
    }

    /** Chooses the block layout for a keyframe. */
    public BlockLayout layout(int width, int height, byte[] rgb, float[] depth) {
        checkFrame(width, height, rgb, depth);
        integrals.compute(width, height, rgb, depth, true);
        int tile = config.maxBlock();
        while ((long) ceilDiv(width, tile) * ceilDiv(height, tile) > config.budget()) tile *= 2;
        // The smallest tau whose leaves fit the budget: merging stops as soon as the budget is met, and the most
        // similar neighbours (lowest spread in tolerance units) are the ones merged.
        double hi = 0;
        if (countLeaves(tile, 0) > config.budget()) {
            double lo = 1e-6;
            hi = 1;
            while (countLeaves(tile, hi) > config.budget() && hi < 1e12) {
                lo = hi;
                hi *= 4;
            }
            for (int it = 0; it < 30 && hi / lo > 1.001; it++) {
                double mid = Math.sqrt(lo * hi);
                if (countLeaves(tile, mid) > config.budget()) lo = mid;
                else hi = mid;
            }
        }
        int n = countLeaves(tile, hi);
        int[] bx = new int[n], by = new int[n], bw = new int[n], bh = new int[n];
        int[] k = {0};
        for (int ty = 0; ty < height; ty += tile) {
            for (int tx = 0; tx < width; tx += tile) emit(tx, ty, tile, hi, bx, by, bw, bh, k);
        }
        return new BlockLayout(width, height, n, bx, by, bw, bh);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private int countLeaves(int tile, double tau) {
        int c = 0;
        for (int ty = 0; ty < integrals.height; ty += tile) {
            for (int tx = 0; tx < integrals.width; tx += tile) c += count(tx, ty, tile, tau);
        }
        return c;
    }

    private int count(int x, int y, int size, double tau) {
        if (x >= integrals.width || y >= integrals.height) return 0;
        if (size == 1 || cost(x, y, size) <= tau) return 1;
        int h = size / 2;
        return count(x, y, h, tau) + count(x + h, y, h, tau) + count(x, y + h, h, tau) + count(x + h, y + h, h, tau);
    }

    private void emit(int x, int y, int size, double tau, int[] bx, int[] by, int[] bw, int[] bh, int[] k) {
        if (x >= integrals.width || y >= integrals.height) return;
        if (size == 1 || cost(x, y, size) <= tau) {
            int i = k[0]++;
            bx[i] = x;
            by[i] = y;
            bw[i] = Math.min(size, integrals.width - x);
            bh[i] = Math.min(size, integrals.height - y);
            return;
        }
        int h = size / 2;
        emit(x, y, h, tau, bx, by, bw, bh, k);
        emit(x + h, y, h, tau, bx, by, bw, bh, k);
        emit(x, y + h, h, tau, bx, by, bw, bh, k);
        emit(x + h, y + h, h, tau, bx, by, bw, bh, k);
    }

    /** Spread of a block in tolerance units: max(relative depth std / depthTol, colour std / colourTol). */
    private double cost(int x, int y, int size) {
        PixelIntegrals p = integrals;
        int x1 = Math.min(p.width, x + size), y1 = Math.min(p.height, y + size);
        int px = (x1 - x) * (y1 - y);
        int v = p.validSum(x, y, x1, y1);
        double depthCost = 0;
        if (v > 0) {
            double m = p.sum(p.z, x, y, x1, y1) / v;
            double var = Math.max(0, p.sum(p.z2, x, y, x1, y1) / v - m * m);
            depthCost = Math.sqrt(var) / m / config.depthTolerance();
        }
        if (v > 0 && v < px) depthCost = Double.POSITIVE_INFINITY;   // never merge across missing depth
        double mr = p.sum(p.r, x, y, x1, y1) / (double) px, mg = p.sum(p.g, x, y, x1, y1) / (double) px, mb = p.sum(p.b, x, y, x1, y1) / (double) px;
        double cvar = Math.max(0, p.sum(p.c2, x, y, x1, y1) / (double) px - mr * mr - mg * mg - mb * mb) / 3;
        double colourCost = Math.sqrt(cvar) / 255 / config.colorTolerance();
        return Math.max(depthCost, colourCost);
    }

    /** The Gaussians of one frame for a layout chosen on this or an earlier frame of the same size. */
    public GaussianFrame build(BlockLayout layout, int width, int height, byte[] rgb, float[] depth, PinholeCamera cam) {
        checkFrame(width, height, rgb, depth);
        if (layout.width() != width || layout.height() != height) {
            throw new IllegalArgumentException("layout is for " + layout.width() + "x" + layout.height() + ", frame is " + width + "x" + height + "; make a new layout");
        }
        integrals.compute(width, height, rgb, depth, false);
        int n = layout.count();
        GaussianFrame f = GaussianFrame.allocate(n, config.shDegree());
        // Blocks are independent once the integrals exist: build them in parallel chunks.
        int chunk = 4096;
        IntStream.range(0, (n + chunk - 1) / chunk).parallel().forEach(c -> {
            double[] tu = new double[3], tv = new double[3];
            for (int i = c * chunk, end = Math.min(n, i + chunk); i < end; i++) buildOne(layout, i, cam, f, tu, tv);
        });
        return f;
    }

    private void buildOne(BlockLayout l, int i, PinholeCamera cam, GaussianFrame f, double[] tu, double[] tv) {
        PixelIntegrals p = integrals;
        int x0 = l.x()[i], y0 = l.y()[i], w = l.w()[i], h = l.h()[i], x1 = x0 + w, y1 = y0 + h;
        int px = w * h;
        int v = p.validSum(x0, y0, x1, y1);
        float[] col = f.colors();
        col[i * 3] = (float) ((p.sum(p.r, x0, y0, x1, y1) / (255.0 * px) - 0.5) / GaussianFrame.SH_C0);
        col[i * 3 + 1] = (float) ((p.sum(p.g, x0, y0, x1, y1) / (255.0 * px) - 0.5) / GaussianFrame.SH_C0);
        col[i * 3 + 2] = (float) ((p.sum(p.b, x0, y0, x1, y1) / (255.0 * px) - 0.5) / GaussianFrame.SH_C0);
        double uc = x0 + w / 2.0, vc = y0 + h / 2.0;
        if (v == 0) {
            // No depth: an invisible placeholder keeps the count and order fixed.
            f.opacities()[i] = 0;
            setPoint(f.positions(), i, cam, uc, vc, 1.0);
            Arrays.fill(f.scales(), i * 3, i * 3 + 3, 1e-4f);
            return;
        }
        double z = p.sum(p.z, x0, y0, x1, y1) / v;
        f.opacities()[i] = config.opacity() * v / px;
        setPoint(f.positions(), i, cam, uc, vc, z);
        int dx = Math.max(1, w / 2), dy = Math.max(1, h / 2);
        double zl = orElse(p.meanDepth(x0 - dx, y0, x1 - dx, y1), z), zr = orElse(p.meanDepth(x0 + dx, y0, x1 + dx, y1), z);
        double zu = orElse(p.meanDepth(x0, y0 - dy, x1, y1 - dy), z), zd = orElse(p.meanDepth(x0, y0 + dy, x1, y1 + dy), z);
        // Per-pixel tangents of the surface, from the unprojected shifted windows.
        tangent(cam, uc, vc, dx, 0, zl, zr, tu);
        tangent(cam, uc, vc, 0, dy, zu, zd, tv);
        double fx = z / cam.fx(), fy = z / cam.fy();
        if (norm(tu) > config.maxStretch() * fx || norm(tv) > config.maxStretch() * fy) {
            // A depth edge, not a slanted surface: stay fronto-parallel instead of smearing across it.
            tu[0] = fx; tu[1] = 0; tu[2] = 0;
            tv[0] = 0; tv[1] = fy; tv[2] = 0;
        }
        double[] e1 = tu.clone();
        scaleTo(e1, 1 / norm(e1));
        double[] e3 = cross(tu, tv);
        scaleTo(e3, 1 / norm(e3));
        double[] e2 = cross(e3, e1);
        double s1 = config.scaleFactor() * w * norm(tu);
        double s2 = config.scaleFactor() * h * Math.abs(dot(tv, e2));
        s2 = Math.max(s2, 0.25 * s1);
        f.scales()[i * 3] = (float) s1;
        f.scales()[i * 3 + 1] = (float) s2;
        f.scales()[i * 3 + 2] = (float) (config.thickness() * Math.min(s1, s2));
        quaternion(e1, e2, e3, f.rotations(), i * 4);
    }

    private static double orElse(double v, double fallback) {
        return Double.isNaN(v) ? fallback : v;
    }

    private static void setPoint(float[] pos, int i, PinholeCamera cam, double u, double v, double z) {
        pos[i * 3] = (float) ((u - cam.cx()) / cam.fx() * z);
        pos[i * 3 + 1] = (float) ((v - cam.cy()) / cam.fy() * z);
        pos[i * 3 + 2] = (float) z;
    }

    /** (P(+d) - P(-d)) / (2 |d|) with P the unprojection of the shifted centre at the shifted mean depth. */
    private static void tangent(PinholeCamera cam, double u, double v, int du, int dv, double zm, double zp, double[] out) {
        double span = 2.0 * Math.max(du, dv);
        out[0] = ((u + du - cam.cx()) / cam.fx() * zp - (u - du - cam.cx()) / cam.fx() * zm) / span;
        out[1] = ((v + dv - cam.cy()) / cam.fy() * zp - (v - dv - cam.cy()) / cam.fy() * zm) / span;
        out[2] = (zp - zm) / span;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static void scaleTo(double[] a, double s) {
        a[0] *= s;
        a[1] *= s;
        a[2] *= s;
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[]{a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    /** Unit quaternion (w, x, y, z) of the rotation whose columns are e1, e2, e3. */
    static void quaternion(double[] e1, double[] e2, double[] e3, float[] out, int o) {
        double m00 = e1[0], m10 = e1[1], m20 = e1[2], m01 = e2[0], m11 = e2[1], m21 = e2[2], m02 = e3[0], m12 = e3[1], m22 = e3[2];
        double tr = m00 + m11 + m22, qw, qx, qy, qz;
        if (tr > 0) {
            double s = Math.sqrt(tr + 1) * 2;
            qw = 0.25 * s; qx = (m21 - m12) / s; qy = (m02 - m20) / s; qz = (m10 - m01) / s;
        } else if (m00 > m11 && m00 > m22) {
            double s = Math.sqrt(1 + m00 - m11 - m22) * 2;
            qw = (m21 - m12) / s; qx = 0.25 * s; qy = (m01 + m10) / s; qz = (m02 + m20) / s;
        } else if (m11 > m22) {
            double s = Math.sqrt(1 + m11 - m00 - m22) * 2;
            qw = (m02 - m20) / s; qx = (m01 + m10) / s; qy = 0.25 * s; qz = (m12 + m21) / s;
        } else {
            double s = Math.sqrt(1 + m22 - m00 - m11) * 2;
            qw = (m10 - m01) / s; qx = (m02 + m20) / s; qy = (m12 + m21) / s; qz = 0.25 * s;
        }
        if (qw < 0) { qw = -qw; qx = -qx; qy = -qy; qz = -qz; }   // one sign, so residuals stay small
        out[o] = (float) qw;
        out[o + 1] = (float) qx;
        out[o + 2] = (float) qy;
        out[o + 3] = (float) qz;
    }
}
