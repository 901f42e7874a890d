package dev.prism.vision.gaussians;

import dev.prism.codecs.gaussian.EncodedGaussianFrame;
import dev.prism.codecs.gaussian.GaussianFrame;
import dev.prism.codecs.gaussian.QueenEncoder;
import dev.prism.vision.depth.DepthEstimator;
import dev.prism.vision.depth.DepthMap;
import dev.prism.vision.depth.ParallaxDepthEstimator;
import dev.prism.vision.render.ImageMetrics;
import dev.prism.vision.render.PinholeCamera;
import dev.prism.vision.render.SplatRenderer;

/**
 * Facade for the 3D stage: decoded RGB frames in, QUEEN-style Gaussian stream records and per-frame figures out
 * (issue 8; ALGORITHMS.md 8.1). Depth comes from the given estimator (the weight-free {@code builtin-parallax}
 * by default) or is passed in; the Gaussian layout is re-chosen at every keyframe and kept in between, so count
 * and order are constant per group. Not thread-safe; one instance per job.
 */
public final class GaussianStreamBuilder implements AutoCloseable {
    private final GaussianStreamConfig config;
    private final DepthEstimator depth;
    private final GaussianBuilder builder;
    private final QueenEncoder encoder;
    private final SplatRenderer renderer = new SplatRenderer();
    private PinholeCamera camera;
    private BlockLayout layout;
    private GaussianFrame lastBuilt;
    private double depthLo = Double.NaN;
    private double depthHi = Double.NaN;

    /** @param depth the estimator to own (closed with this builder); null for {@link ParallaxDepthEstimator} */
    public GaussianStreamBuilder(GaussianStreamConfig config, DepthEstimator depth) {
        this.config = config;
        this.depth = depth == null ? new ParallaxDepthEstimator() : depth;
        this.builder = new GaussianBuilder(config.build());
        this.encoder = new QueenEncoder(config.queen());
    }

    /** Uses known intrinsics (from metadata) instead of the assumed field of view. */
    public void setCamera(PinholeCamera camera) {
        this.camera = camera;
        encoder.forceKeyframe();
        layout = null;
    }

    /** The source camera in use (null before the first frame unless set). */
    public PinholeCamera camera() {
        return camera;
    }

    /** A frame whose depth the configured estimator provides. */
    public GaussianFrameResult addFrame(int width, int height, byte[] rgb, long ptsMicros) {
        DepthMap d = depth.estimate(width, height, rgb);
        if (d.kind() == DepthMap.Kind.METRIC_DEPTH) return add(width, height, rgb, d.values(), ptsMicros, d.source());
        // Smooth the normalisation range over time so a monocular estimate does not make the scene breathe.
        double lo = d.percentile(0.02), hi = d.percentile(0.98);
        depthLo = Double.isNaN(depthLo) ? lo : 0.8 * depthLo + 0.2 * lo;
        depthHi = Double.isNaN(depthHi) ? hi : 0.8 * depthHi + 0.2 * hi;
        return add(width, height, rgb, d.toMetric(config.nearDepth(), config.farDepth(), depthLo, depthHi), ptsMicros, d.source());
    }

    /** A frame with known metric depth (z per pixel, NaN or <= 0 where unknown). */
    public GaussianFrameResult addFrame(int width, int height, byte[] rgb, float[] metricDepth, long ptsMicros) {
        return add(width, height, rgb, metricDepth, ptsMicros, "provided");
    }

    private GaussianFrameResult add(int width, int height, byte[] rgb, float[] z, long pts, String source) {
        if (camera == null || camera.width() != width || camera.height() != height) {
            camera = PinholeCamera.fromHorizontalFov(width, height, config.build().hfovDegrees());
            layout = null;
        }
        if (layout == null || layout.width() != width || layout.height() != height) encoder.forceKeyframe();
        if (encoder.nextIsKeyframe()) layout = builder.layout(width, height, rgb, z);
        GaussianFrame g = builder.build(layout, width, height, rgb, z, camera);
        lastBuilt = g;
        EncodedGaussianFrame e = encoder.encode(g);
        double psnr = Double.NaN;
        if (config.psnrEvery() > 0 && e.frameIndex() % config.psnrEvery() == 0) {
            psnr = ImageMetrics.psnr(renderer.render(encoder.reference(), camera), rgb);
        }
        return new GaussianFrameResult(e.frameIndex(), pts, e.keyframe(), e.record(), e.count(), e.sentPositions(), psnr, source);
    }

    /** The decoded state after the last frame: what every receiver of the records holds. */
    public GaussianFrame reference() {
        return encoder.reference();
    }

    /** The uncompressed Gaussians of the last frame (input to the V^3 packing). */
    public GaussianFrame lastBuilt() {
        return lastBuilt;
    }

    /** The layout of the current group. */
    public BlockLayout layout() {
        return layout;
    }

    @Override
    public void close() {
        depth.close();
    }
}
