package dev.prism.vision.gaussians;

/**
 * Summed-area tables of one RGB-D frame (valid-depth count, depth, depth^2, R, G, B, squared colour) so block and
 * window means cost O(1). Buffers are reused between frames of the same size.
 */
final class PixelIntegrals {
    int width;
    int height;
    int[] valid;
    double[] z;
    double[] z2;
    int[] r;
    int[] g;
    int[] b;
    long[] c2;

    void compute(int w, int h, byte[] rgb, float[] depth, boolean withVariance) {
        int n = (w + 1) * (h + 1);
        if (valid == null || valid.length != n) {
            valid = new int[n];
            z = new double[n];
            r = new int[n];
            g = new int[n];
            b = new int[n];
            z2 = null;
            c2 = null;
        }
        if (withVariance && z2 == null) {
            z2 = new double[n];
            c2 = new long[n];
        }
        width = w;
        height = h;
        int stride = w + 1;
        for (int y = 0; y < h; y++) {
            int rv = 0, rr = 0, rg = 0, rb = 0;
            double rz = 0, rz2 = 0;
            long rc2 = 0;
            int up = y * stride, cur = (y + 1) * stride;
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                float d = depth[p];
                if (d > 0 && d < Float.POSITIVE_INFINITY) {
                    rv++;
                    rz += d;
                    rz2 += (double) d * d;
                }
                int cr = rgb[p * 3] & 0xFF, cg = rgb[p * 3 + 1] & 0xFF, cb = rgb[p * 3 + 2] & 0xFF;
                rr += cr;
                rg += cg;
                rb += cb;
                int k = cur + x + 1, ku = up + x + 1;
                valid[k] = valid[ku] + rv;
                z[k] = z[ku] + rz;
                r[k] = r[ku] + rr;
                g[k] = g[ku] + rg;
                b[k] = b[ku] + rb;
                if (withVariance) {
                    rc2 += cr * cr + cg * cg + cb * cb;
                    z2[k] = z2[ku] + rz2;
                    c2[k] = c2[ku] + rc2;
                }
            }
        }
    }

    int validSum(int x0, int y0, int x1, int y1) {
        int s = width + 1;
        return valid[y1 * s + x1] - valid[y0 * s + x1] - valid[y1 * s + x0] + valid[y0 * s + x0];
    }

    double sum(double[] t, int x0, int y0, int x1, int y1) {
        int s = width + 1;
        return t[y1 * s + x1] - t[y0 * s + x1] - t[y1 * s + x0] + t[y0 * s + x0];
    }

    int sum(int[] t, int x0, int y0, int x1, int y1) {
        int s = width + 1;
        return t[y1 * s + x1] - t[y0 * s + x1] - t[y1 * s + x0] + t[y0 * s + x0];
    }

    long sum(long[] t, int x0, int y0, int x1, int y1) {
        int s = width + 1;
        return t[y1 * s + x1] - t[y0 * s + x1] - t[y1 * s + x0] + t[y0 * s + x0];
    }

    /** Mean valid depth over a window clipped to the image, or NaN when it holds no valid pixel. */
    double meanDepth(int x0, int y0, int x1, int y1) {
        x0 = Math.max(0, x0);
        y0 = Math.max(0, y0);
        x1 = Math.min(width, x1);
        y1 = Math.min(height, y1);
        if (x0 >= x1 || y0 >= y1) return Double.NaN;
        int v = validSum(x0, y0, x1, y1);
        return v == 0 ? Double.NaN : sum(z, x0, y0, x1, y1) / v;
    }
}
