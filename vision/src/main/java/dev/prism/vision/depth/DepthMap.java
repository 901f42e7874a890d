package dev.prism.vision.depth;

/**
 * A per-pixel depth estimate with its meaning and provenance.
 *
 * @param width  columns
 * @param height rows
 * @param values row-major values; NaN where unknown
 * @param kind   what the values mean
 * @param source label of the estimator that made it (for example {@code builtin-parallax} or {@code onnx:model.onnx}),
 *               carried into every output so a user sees how the depth was obtained
 */
public record DepthMap(int width, int height, float[] values, Kind kind, String source) {

    public enum Kind {
        /** Distance along the optical axis in scene units. */
        METRIC_DEPTH,
        /** Relative inverse depth (disparity-like, larger is nearer), unknown scale and shift: MiDaS-style output. */
        RELATIVE_INVERSE_DEPTH
    }

    public DepthMap {
        if (width <= 0 || height <= 0 || values == null || values.length != width * height) {
            throw new IllegalArgumentException("depth map " + width + "x" + height + " needs " + (long) width * height + " values, got "
                    + (values == null ? "null" : values.length));
        }
    }

    /**
     * Metric depth for Gaussian construction. Relative inverse depth d is normalised between {@code lo} and
     * {@code hi} (values outside are clamped) and mapped linearly in inverse depth onto [near, far]:
     * z = 1 / (1/far + n (1/near - 1/far)). The scale is an assumption (monocular depth has none), so it is a
     * parameter; pass a stable lo/hi across frames to avoid flicker.
     */
    public float[] toMetric(double near, double far, double lo, double hi) {
        if (kind == Kind.METRIC_DEPTH) return values.clone();
        if (!(near > 0 && far > near)) throw new IllegalArgumentException("need 0 < near < far, got " + near + ", " + far);
        float[] z = new float[values.length];
        double span = hi - lo;
        for (int i = 0; i < z.length; i++) {
            float v = values[i];
            if (Float.isNaN(v)) {
                z[i] = Float.NaN;
                continue;
            }
            double n = span > 0 ? Math.max(0, Math.min(1, (v - lo) / span)) : 0.5;
            z[i] = (float) (1.0 / (1.0 / far + n * (1.0 / near - 1.0 / far)));
        }
        return z;
    }

    /** The p-th percentile (0..1) of the finite values (from a strided sample of at most ~64k), for robust normalisation. */
    public double percentile(double p) {
        int stride = Math.max(1, values.length >> 16);
        float[] s = new float[(values.length + stride - 1) / stride];
        int k = 0;
        for (int i = 0; i < values.length; i += stride) {
            float v = values[i];
            if (!Float.isNaN(v) && !Float.isInfinite(v)) s[k++] = v;
        }
        if (k == 0) return 0;
        java.util.Arrays.sort(s, 0, k);
        return s[(int) Math.min(k - 1, Math.max(0, Math.round(p * (k - 1))))];
    }
}
