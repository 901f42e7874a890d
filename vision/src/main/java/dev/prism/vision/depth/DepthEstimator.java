package dev.prism.vision.depth;

/**
 * Depth for one RGB frame (issue 8 step 1). Implementations may keep state between consecutive frames (the
 * parallax estimate does) and may own native resources, hence AutoCloseable.
 */
public interface DepthEstimator extends AutoCloseable {

    /** Label written into every output made with this estimator. */
    String name();

    /** Depth of a frame given as interleaved 8-bit RGB, row-major. */
    DepthMap estimate(int width, int height, byte[] rgb);

    @Override
    void close();
}
