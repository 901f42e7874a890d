package dev.prism.vision.render;

import dev.prism.codecs.gaussian.GaussianFrame;

/**
 * CPU splat renderer: EWA splatting of 3D Gaussians (Zwicker et al.; the 3DGS forward pass) with depth-sorted
 * front-to-back alpha blending. Each Gaussian's covariance R S S^T R^T is carried to the camera, projected with the
 * perspective Jacobian, widened by a 0.3 px^2 low-pass filter (the EWA screen-space filter used by 3DGS), and
 * blended with alpha = min(0.99, opacity * exp(-d^T Sigma^-1 d / 2)) until a pixel's transmittance falls below 1e-4.
 * Colour is the SH DC term, plus the degree-1 band evaluated along the viewing ray when present.
 * This is the quality meter for ALGORITHMS.md 8.1/8.2 ("render PSNR") and the dashboard's fallback preview.
 */
public final class SplatRenderer {
    private static final float SH_C1 = 0.4886025119029199f;
    private static final double NEAR = 1e-3;

    private final float[] background;

    public SplatRenderer(float[] backgroundRgb) {
        this.background = backgroundRgb.clone();
    }

    public SplatRenderer() {
        this(new float[3]);
    }

    /** Renders to 8-bit interleaved RGB of the camera's size. */
    public byte[] render(GaussianFrame g, PinholeCamera cam) {
        int w = cam.width(), h = cam.height(), n = g.count();
        double[] r = cam.rotation(), t = cam.translation(), eye = cam.centre();
        float[] pos = g.positions(), sc = g.scales(), q = g.rotations();
        // Project every Gaussian: screen centre, inverse 2D covariance (conic), radius, depth.
        float[] mu = new float[n * 2];
        float[] conic = new float[n * 3];
        int[] box = new int[n * 4];
        float[] depth = new float[n];
        float[] color = new float[n * 3];
        int visible = 0;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            double px = pos[i * 3], py = pos[i * 3 + 1], pz = pos[i * 3 + 2];
            double x = r[0] * px + r[1] * py + r[2] * pz + t[0];
            double y = r[3] * px + r[4] * py + r[5] * pz + t[1];
            double z = r[6] * px + r[7] * py + r[8] * pz + t[2];
            if (z < NEAR || g.opacities()[i] <= 0) continue;
            double[] m = rotationMatrix(q, i);
            double[] cov = new double[6];   // world covariance, upper triangle xx xy xz yy yz zz
            double s0 = sc[i * 3] * sc[i * 3], s1 = sc[i * 3 + 1] * sc[i * 3 + 1], s2 = sc[i * 3 + 2] * sc[i * 3 + 2];
            cov[0] = m[0] * m[0] * s0 + m[1] * m[1] * s1 + m[2] * m[2] * s2;
            cov[1] = m[0] * m[3] * s0 + m[1] * m[4] * s1 + m[2] * m[5] * s2;
            cov[2] = m[0] * m[6] * s0 + m[1] * m[7] * s1 + m[2] * m[8] * s2;
            cov[3] = m[3] * m[3] * s0 + m[4] * m[4] * s1 + m[5] * m[5] * s2;
            cov[4] = m[3] * m[6] * s0 + m[4] * m[7] * s1 + m[5] * m[8] * s2;
            cov[5] = m[6] * m[6] * s0 + m[7] * m[7] * s1 + m[8] * m[8] * s2;
            // T = J W: rows of the Jacobian applied to the camera rotation.
            double j00 = cam.fx() / z, j02 = -cam.fx() * x / (z * z), j11 = cam.fy() / z, j12 = -cam.fy() * y / (z * z);
            double t0x = j00 * r[0] + j02 * r[6], t0y = j00 * r[1] + j02 * r[7], t0z = j00 * r[2] + j02 * r[8];
            double t1x = j11 * r[3] + j12 * r[6], t1y = j11 * r[4] + j12 * r[7], t1z = j11 * r[5] + j12 * r[8];
            double a = quad(t0x, t0y, t0z, t0x, t0y, t0z, cov) + 0.3;
            double b = quad(t0x, t0y, t0z, t1x, t1y, t1z, cov);
            double c = quad(t1x, t1y, t1z, t1x, t1y, t1z, cov) + 0.3;
            double det = a * c - b * b;
            if (det <= 0) continue;
            double u = cam.fx() * x / z + cam.cx() - 0.5, v = cam.fy() * y / z + cam.cy() - 0.5;
            double mid = 0.5 * (a + c);
            double lambda = mid + Math.sqrt(Math.max(0.1, mid * mid - det));
            double radius = Math.ceil(3 * Math.sqrt(lambda));
            int x0 = (int) Math.max(0, Math.floor(u - radius)), x1 = (int) Math.min(w - 1, Math.ceil(u + radius));
            int y0 = (int) Math.max(0, Math.floor(v - radius)), y1 = (int) Math.min(h - 1, Math.ceil(v + radius));
            if (x0 > x1 || y0 > y1) continue;
            mu[i * 2] = (float) u;
            mu[i * 2 + 1] = (float) v;
            conic[i * 3] = (float) (c / det);
            conic[i * 3 + 1] = (float) (-b / det);
            conic[i * 3 + 2] = (float) (a / det);
            box[i * 4] = x0;
            box[i * 4 + 1] = x1;
            box[i * 4 + 2] = y0;
            box[i * 4 + 3] = y1;
            depth[i] = (float) z;
            shade(g, i, px - eye[0], py - eye[1], pz - eye[2], color);
            order[visible++] = i;
        }
        sortByDepth(order, visible, depth);
        float[] acc = new float[w * h * 3];
        float[] trans = new float[w * h];
        java.util.Arrays.fill(trans, 1f);
        for (int k = 0; k < visible; k++) {
            int i = order[k];
            float op = g.opacities()[i];
            float ca = conic[i * 3], cb = conic[i * 3 + 1], cc = conic[i * 3 + 2];
            float cr = color[i * 3], cg = color[i * 3 + 1], cbl = color[i * 3 + 2];
            for (int yy = box[i * 4 + 2]; yy <= box[i * 4 + 3]; yy++) {
                float dy = yy - mu[i * 2 + 1];
                int row = yy * w;
                for (int xx = box[i * 4]; xx <= box[i * 4 + 1]; xx++) {
                    int p = row + xx;
                    float tr = trans[p];
                    if (tr < 1e-4f) continue;
                    float dx = xx - mu[i * 2];
                    float power = -0.5f * (ca * dx * dx + cc * dy * dy) - cb * dx * dy;
                    if (power > 0) continue;
                    float alpha = Math.min(0.99f, op * (float) Math.exp(power));
                    if (alpha < 1f / 255f) continue;
                    float wgt = alpha * tr;
                    acc[p * 3] += wgt * cr;
                    acc[p * 3 + 1] += wgt * cg;
                    acc[p * 3 + 2] += wgt * cbl;
                    trans[p] = tr * (1 - alpha);
                }
            }
        }
        byte[] out = new byte[w * h * 3];
        for (int p = 0; p < w * h; p++) {
            for (int ch = 0; ch < 3; ch++) {
                float v = acc[p * 3 + ch] + trans[p] * background[ch];
                out[p * 3 + ch] = (byte) Math.round(Math.max(0, Math.min(1, v)) * 255);
            }
        }
        return out;
    }

    private static double quad(double ax, double ay, double az, double bx, double by, double bz, double[] s) {
        return ax * (s[0] * bx + s[1] * by + s[2] * bz) + ay * (s[1] * bx + s[3] * by + s[4] * bz)
                + az * (s[2] * bx + s[4] * by + s[5] * bz);
    }

    /** Row-major rotation matrix of quaternion (w, x, y, z) of Gaussian i, normalised. */
    static double[] rotationMatrix(float[] q, int i) {
        double qw = q[i * 4], qx = q[i * 4 + 1], qy = q[i * 4 + 2], qz = q[i * 4 + 3];
        double nrm = Math.sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
        if (nrm == 0) return new double[]{1, 0, 0, 0, 1, 0, 0, 0, 1};
        qw /= nrm;
        qx /= nrm;
        qy /= nrm;
        qz /= nrm;
        return new double[]{
                1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qw * qz), 2 * (qx * qz + qw * qy),
                2 * (qx * qy + qw * qz), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qw * qx),
                2 * (qx * qz - qw * qy), 2 * (qy * qz + qw * qx), 1 - 2 * (qx * qx + qy * qy)};
    }

    private static void shade(GaussianFrame g, int i, double dx, double dy, double dz, float[] out) {
        float[] rest = g.shRest();
        int per = GaussianFrame.shRestPerGaussian(g.shDegree());
        double len = Math.sqrt(dx * dx + dy * dy + dz * dz);
        for (int ch = 0; ch < 3; ch++) {
            double v = 0.5 + GaussianFrame.SH_C0 * g.colors()[i * 3 + ch];
            if (per > 0 && len > 0) {
                // Degree-1 band, coefficients stored per band then channel: (-y, z, -x) basis as in 3DGS.
                int o = i * per;
                v += SH_C1 * (-dy / len * rest[o + ch] + dz / len * rest[o + 3 + ch] - dx / len * rest[o + 6 + ch]);
            }
            out[i * 3 + ch] = (float) Math.max(0, v);
        }
    }

    /** Sorts the first n indices by ascending depth (front to back). */
    private static void sortByDepth(int[] order, int n, float[] depth) {
        long[] keys = new long[n];
        for (int k = 0; k < n; k++) {
            // Positive floats order like their bit patterns; the index rides in the low bits.
            keys[k] = ((long) Float.floatToIntBits(depth[order[k]]) << 32) | (order[k] & 0xFFFFFFFFL);
        }
        java.util.Arrays.sort(keys);
        for (int k = 0; k < n; k++) order[k] = (int) keys[k];
    }
}
