package dev.prism.vision.gaussians;

import dev.prism.codecs.gaussian.GaussianFrame;
import dev.prism.vision.gaussians.bench.SyntheticScene;
import dev.prism.vision.render.PinholeCamera;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class GaussianBuilderTest {

    @Test
    void layoutFitsTheBudgetAndTilesEveryPixelExactlyOnce() {
        SyntheticScene scene = new SyntheticScene(160, 90);
        SyntheticScene.Frame f = scene.frame(3);
        for (int budget : new int[]{500, 3000, 160 * 90}) {
            BlockLayout l = new GaussianBuilder(GaussianBuildConfig.defaults().withBudget(budget)).layout(160, 90, f.rgb(), f.depth());
            assertTrue(l.count() <= budget, "count " + l.count() + " > budget " + budget);
            assertTrue(l.count() > budget * 0.7, "merging stops near the budget: " + l.count() + " of " + budget);
            int[] cover = new int[160 * 90];
            for (int i = 0; i < l.count(); i++) {
                for (int y = l.y()[i]; y < l.y()[i] + l.h()[i]; y++) for (int x = l.x()[i]; x < l.x()[i] + l.w()[i]; x++) cover[y * 160 + x]++;
            }
            for (int c : cover) assertEquals(1, c);
        }
    }

    @Test
    void uniformRegionsMergeIntoLargeBlocksAndEdgesStayFine() {
        int w = 64, h = 64;
        byte[] rgb = new byte[w * h * 3];
        float[] z = new float[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            int p = y * w + x;
            z[p] = x < 32 ? 2f : 4f;
            rgb[p * 3] = (byte) (x < 32 ? 200 : 50);
        }
        BlockLayout l = new GaussianBuilder(GaussianBuildConfig.defaults().withBudget(1000)).layout(w, h, rgb, z);
        assertEquals(16, l.count(), "two flat halves merge into 16x16 tiles");
    }

    @Test
    void slantedPlaneGivesItsNormalAndPositionsUnprojectTheDepth() {
        int w = 64, h = 48;
        PinholeCamera cam = PinholeCamera.fromHorizontalFov(w, h, 60);
        // Plane z = 3 + 0.5 x (camera coordinates): normal proportional to (-0.5, 0, 1).
        float[] depth = new float[w * h];
        for (int v = 0; v < h; v++) for (int u = 0; u < w; u++) {
            double dx = (u + 0.5 - cam.cx()) / cam.fx();
            depth[v * w + u] = (float) (3 / (1 - 0.5 * dx));
        }
        byte[] rgb = new byte[w * h * 3];
        GaussianBuilder b = new GaussianBuilder(GaussianBuildConfig.defaults().withBudget(200));
        BlockLayout l = b.layout(w, h, rgb, depth);
        GaussianFrame g = b.build(l, w, h, rgb, depth, cam);
        double[] n = {-0.5 / Math.sqrt(1.25), 0, 1 / Math.sqrt(1.25)};
        int interior = 0;
        for (int i = 0; i < g.count(); i++) {
            float x = g.positions()[i * 3], z = g.positions()[i * 3 + 2];
            assertEquals(3 + 0.5 * x, z, 0.02, "Gaussian " + i + " lies on the plane");
            if (l.x()[i] == 0 || l.y()[i] == 0 || l.x()[i] + l.w()[i] == w || l.y()[i] + l.h()[i] == h) continue;
            double[] axis = thirdColumn(g.rotations(), i);
            assertEquals(1.0, Math.abs(axis[0] * n[0] + axis[1] * n[1] + axis[2] * n[2]), 0.01, "normal of Gaussian " + i);
            interior++;
        }
        assertTrue(interior > 5);
    }

    @Test
    void mismatchedInputsAreRejectedWithTheirSizes() {
        GaussianBuilder b = new GaussianBuilder(GaussianBuildConfig.defaults());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.layout(10, 10, new byte[299], new float[100]));
        assertTrue(e.getMessage().contains("300"));
    }

    static double[] thirdColumn(float[] q, int i) {
        double w = q[i * 4], x = q[i * 4 + 1], y = q[i * 4 + 2], z = q[i * 4 + 3];
        return new double[]{2 * (x * z + w * y), 2 * (y * z - w * x), 1 - 2 * (x * x + y * y)};
    }
}
