package dev.prism.vision.depth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ParallaxDepthEstimatorTest {
    private static final int W = 160, H = 96;

    /** A camera sliding right over two textured layers: the near half (left) moves 3 px a frame, the far half 1 px. */
    private static byte[] frame(int t) {
        byte[] rgb = new byte[W * H * 3];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                boolean near = x < W / 2;
                double sx = x + (near ? 3 : 1) * t;
                double v = 128 + 60 * Math.sin(sx * 0.35) * Math.cos(y * 0.3) + 40 * Math.sin(sx * 0.11 + y * 0.07);
                int p = (y * W + x) * 3;
                rgb[p] = rgb[p + 1] = rgb[p + 2] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return rgb;
    }

    @Test
    void nearerLayerGetsLargerInverseDepthAndOutputsAreLabelled() {
        try (ParallaxDepthEstimator est = new ParallaxDepthEstimator(160, 2.0, 1.0, 0.05)) {
            DepthMap first = est.estimate(W, H, frame(0));
            assertTrue(est.isPrior());
            assertTrue(first.source().startsWith(ParallaxDepthEstimator.NAME) && first.source().contains("flat prior"));
            assertEquals(first.values()[0], first.values()[W * H - 1]);
            DepthMap d = null;
            for (int t = 1; t < 4; t++) d = est.estimate(W, H, frame(t));
            assertFalse(est.isPrior());
            assertEquals(ParallaxDepthEstimator.NAME, d.source());
            assertEquals(DepthMap.Kind.RELATIVE_INVERSE_DEPTH, d.kind());
            double near = mean(d, 20, 60), far = mean(d, 100, 140);
            assertTrue(near > 2 * far, "near parallax " + near + " vs far " + far);
            assertEquals(3.0, near, 0.8, "inverse depth is the flow magnitude in pixels");
            float[] z = d.toMetric(1, 10, d.percentile(0.02), d.percentile(0.98));
            assertTrue(z[H / 2 * W + 40] < z[H / 2 * W + 120], "metric depth: near layer closer");
        }
    }

    @Test
    void staticFramesKeepThePreviousEstimate() {
        try (ParallaxDepthEstimator est = new ParallaxDepthEstimator(160, 2.0, 1.0, 0.05)) {
            est.estimate(W, H, frame(0));
            DepthMap moving = est.estimate(W, H, frame(1));
            DepthMap still = est.estimate(W, H, frame(1));
            assertArrayEquals(moving.values(), still.values(), 1e-6f);
        }
    }

    @Test
    void wrongFrameSizeIsRejected() {
        try (ParallaxDepthEstimator est = new ParallaxDepthEstimator()) {
            assertThrows(IllegalArgumentException.class, () -> est.estimate(10, 10, new byte[10]));
        }
    }

    private static double mean(DepthMap d, int x0, int x1) {
        double s = 0;
        int n = 0;
        for (int y = 20; y < H - 20; y++) for (int x = x0; x < x1; x++) {
            s += d.values()[y * W + x];
            n++;
        }
        return s / n;
    }
}
