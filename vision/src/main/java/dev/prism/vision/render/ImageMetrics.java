package dev.prism.vision.render;

/** Image quality metrics for 8-bit interleaved RGB. */
public final class ImageMetrics {
    private ImageMetrics() {
    }

    /** Mean squared error over all samples of two equally sized 8-bit images. */
    public static double mse(byte[] a, byte[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("images differ in size: " + a.length + " vs " + b.length + " bytes");
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            int d = (a[i] & 0xFF) - (b[i] & 0xFF);
            s += d * d;
        }
        return a.length == 0 ? 0 : s / a.length;
    }

    /** PSNR in dB with peak 255; identical images give +infinity. */
    public static double psnr(byte[] a, byte[] b) {
        double m = mse(a, b);
        return m == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / m);
    }
}
