package dev.prism.vision.depth;

import dev.prism.llm.onnx.GraphBuilder;
import dev.prism.vision.gaussians.GaussianBuildConfig;
import dev.prism.vision.gaussians.GaussianFrameResult;
import dev.prism.vision.gaussians.GaussianStreamBuilder;
import dev.prism.vision.gaussians.GaussianStreamConfig;
import dev.prism.vision.gaussians.GaussianStreamDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class OnnxDepthEstimatorTest {
    private static final OnnxDepthConfig CONFIG = new OnnxDepthConfig(32, 24, new float[]{0.485f, 0.456f, 0.406f}, new float[]{0.229f, 0.224f, 0.225f});

    /** A MiDaS-shaped tiny model (llm's ONNX writer): image [1,3,H,W] -> depth [1,H,W] = mean over channels. */
    private static byte[] channelMeanModel(int height, int width) {
        GraphBuilder g = new GraphBuilder("tiny_depth", GraphBuilder.WeightMode.EXTERNAL_INITIALIZER);
        String x = g.input("image", 1, 3, height, width);
        String y = g.op("ReduceMean", Map.of("axes", new long[]{1}, "keepdims", 0L), x);
        g.output(y, "depth", 1, height, width);
        return g.toModelBytes();
    }

    private static byte[] image(int w, int h, long seed) {
        byte[] rgb = new byte[w * h * 3];
        new Random(seed).nextBytes(rgb);
        return rgb;
    }

    @Test
    void tinyModelOutputMatchesTheJavaReferenceAndIsLabelled(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny-depth.onnx");
        Files.write(model, channelMeanModel(24, 32));
        int w = 40, h = 30;
        byte[] rgb = image(w, h, 1);
        try (OnnxDepthEstimator est = new OnnxDepthEstimator(model, CONFIG)) {
            DepthMap d = est.estimate(w, h, rgb);
            assertEquals("onnx:tiny-depth.onnx", d.source());
            assertEquals(DepthMap.Kind.RELATIVE_INVERSE_DEPTH, d.kind());
            float[] chw = OnnxDepthEstimator.normalisedChw(new OnnxDepthEstimator.Rgb(w, h, rgb), CONFIG);
            int plane = 32 * 24;
            float[] mean = new float[plane];
            for (int i = 0; i < plane; i++) mean[i] = (chw[i] + chw[plane + i] + chw[2 * plane + i]) / 3;
            float[] expected = Resample.bilinear(mean, 32, 24, w, h);
            assertArrayEquals(expected, d.values(), 1e-5f);
        }
    }

    @Test
    void facadeRunsOnTheOnnxDepthAndCarriesItsLabel(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("tiny-depth.onnx");
        Files.write(model, channelMeanModel(24, 32));
        GaussianStreamConfig cfg = GaussianStreamConfig.defaults().withBuild(GaussianBuildConfig.defaults().withBudget(300));
        GaussianStreamDecoder dec = new GaussianStreamDecoder();
        try (GaussianStreamBuilder b = new GaussianStreamBuilder(cfg, new OnnxDepthEstimator(model, CONFIG))) {
            for (int t = 0; t < 3; t++) {
                GaussianFrameResult r = b.addFrame(48, 32, image(48, 32, t), t);
                assertEquals("onnx:tiny-depth.onnx", r.depthSource());
                dec.decode(r.record());
            }
            assertTrue(dec.state().sameAs(b.reference()));
            for (int i = 0; i < b.reference().count(); i++) {
                float z = b.reference().positions()[i * 3 + 2];
                assertTrue(z >= 1 - 1e-3 && z <= 10 + 1e-3, "depth mapped into [near, far]: " + z);
            }
        }
    }

    @Test
    void missingOrBrokenModelsFailWithTheirPath(@TempDir Path dir) throws Exception {
        DepthEstimationException missing = assertThrows(DepthEstimationException.class,
                () -> new OnnxDepthEstimator(dir.resolve("nope.onnx"), CONFIG));
        assertTrue(missing.getMessage().contains("nope.onnx"));
        Path junk = dir.resolve("junk.onnx");
        Files.write(junk, new byte[]{1, 2, 3, 4, 5});
        DepthEstimationException broken = assertThrows(DepthEstimationException.class, () -> new OnnxDepthEstimator(junk, CONFIG));
        assertTrue(broken.getMessage().contains("junk.onnx"));
    }
}
