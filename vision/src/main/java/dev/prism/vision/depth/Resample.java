package dev.prism.vision.depth;

/** Bilinear resampling of a single-channel float image with pixel-centre alignment. */
final class Resample {
    private Resample() {
    }

    static float[] bilinear(float[] src, int sw, int sh, int dw, int dh) {
        if (sw == dw && sh == dh) return src.clone();
        float[] out = new float[dw * dh];
        double sx = (double) sw / dw, sy = (double) sh / dh;
        for (int y = 0; y < dh; y++) {
            double fy = Math.max(0, Math.min(sh - 1, (y + 0.5) * sy - 0.5));
            int y0 = (int) fy, y1 = Math.min(sh - 1, y0 + 1);
            double ty = fy - y0;
            for (int x = 0; x < dw; x++) {
                double fx = Math.max(0, Math.min(sw - 1, (x + 0.5) * sx - 0.5));
                int x0 = (int) fx, x1 = Math.min(sw - 1, x0 + 1);
                double tx = fx - x0;
                double top = src[y0 * sw + x0] * (1 - tx) + src[y0 * sw + x1] * tx;
                double bot = src[y1 * sw + x0] * (1 - tx) + src[y1 * sw + x1] * tx;
                out[y * dw + x] = (float) (top * (1 - ty) + bot * ty);
            }
        }
        return out;
    }
}
