package dev.prism.vision.render;

import dev.prism.codecs.gaussian.GaussianFrame;
import dev.prism.vision.gaussians.BlockLayout;
import dev.prism.vision.gaussians.GaussianBuildConfig;
import dev.prism.vision.gaussians.GaussianBuilder;
import dev.prism.vision.gaussians.bench.SyntheticScene;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SplatRendererTest {

    @Test
    void oneGaussianFollowsTheEwaFootprint() {
        // An isotropic Gaussian of sigma 0.05 at z = 2 seen by f = 100: screen sigma^2 = (0.05*100/2)^2 + 0.3.
        PinholeCamera cam = PinholeCamera.of(41, 41, 100, 100, 20.5, 20.5);
        GaussianFrame g = GaussianFrame.allocate(1, 0);
        g.positions()[2] = 2f;
        java.util.Arrays.fill(g.scales(), 0.05f);
        g.opacities()[0] = 0.8f;
        g.colors()[0] = (1f - 0.5f) / GaussianFrame.SH_C0;   // red = 1
        g.colors()[1] = g.colors()[2] = -0.5f / GaussianFrame.SH_C0;   // green = blue = 0
        byte[] img = new SplatRenderer().render(g, cam);
        double var = 2.5 * 2.5 + 0.3;
        int centre = (20 * 41 + 20) * 3;
        assertEquals(Math.round(0.8 * 255), img[centre] & 0xFF, 1);
        assertEquals(0, img[centre + 1] & 0xFF, "green stays dark");
        int off = (20 * 41 + 23) * 3;   // 3 px to the right
        assertEquals(0.8 * Math.exp(-9 / (2 * var)) * 255, img[off] & 0xFF, 1.0);
        assertEquals(img[(20 * 41 + 17) * 3], img[off], "symmetric footprint");
    }

    @Test
    void frontGaussianOccludesTheOneBehindRegardlessOfStorageOrder() {
        PinholeCamera cam = PinholeCamera.of(21, 21, 50, 50, 10.5, 10.5);
        GaussianFrame g = GaussianFrame.allocate(2, 0);
        g.positions()[2] = 5f;   // far, stored first: green
        g.positions()[5] = 2f;   // near: red
        java.util.Arrays.fill(g.scales(), 0.5f);
        g.opacities()[0] = g.opacities()[1] = 1f;
        g.colors()[1] = 0.5f / GaussianFrame.SH_C0;
        g.colors()[3] = 0.5f / GaussianFrame.SH_C0;
        g.colors()[0] = g.colors()[2] = g.colors()[4] = g.colors()[5] = -0.5f / GaussianFrame.SH_C0;
        byte[] img = new SplatRenderer().render(g, cam);
        int c = (10 * 21 + 10) * 3;
        assertTrue((img[c] & 0xFF) > 240 && (img[c + 1] & 0xFF) < 10, "near red Gaussian in front");
    }

    @Test
    void reproducesASyntheticRgbdFrameAboveThirtyDbFromTheSourceCamera() {
        SyntheticScene scene = new SyntheticScene(192, 108);
        SyntheticScene.Frame f = scene.frame(0);
        GaussianBuilder b = new GaussianBuilder(GaussianBuildConfig.defaults().withBudget(192 * 108));
        BlockLayout l = b.layout(f.width(), f.height(), f.rgb(), f.depth());
        GaussianFrame g = b.build(l, f.width(), f.height(), f.rgb(), f.depth(), scene.camera());
        byte[] img = new SplatRenderer().render(g, scene.camera());
        double psnr = ImageMetrics.psnr(img, f.rgb());
        assertTrue(psnr > 30, "render-from-source PSNR " + psnr);
        // A moved camera sees the same scene from elsewhere: still recognisable but not identical.
        byte[] moved = new SplatRenderer().render(g, scene.camera().movedTo(0.4, 0, 0.3, -5));
        double movedPsnr = ImageMetrics.psnr(moved, f.rgb());
        assertTrue(movedPsnr < psnr - 3 && movedPsnr > 10, "moved-camera PSNR " + movedPsnr);
    }

    @Test
    void psnrOfIdenticalImagesIsInfiniteAndOfOneLevelOffIs48Db() {
        byte[] a = new byte[300];
        byte[] b = a.clone();
        assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(a, b));
        java.util.Arrays.fill(b, (byte) 1);
        assertEquals(48.13, ImageMetrics.psnr(a, b), 0.01);
    }
}
