package dev.prism.vision.gaussians;

/**
 * Settings of per-frame Gaussian construction ({@link GaussianBuilder}). Not from a paper: QUEEN and V^3 train
 * their Gaussians on a GPU; these are the knobs of Prism's CPU construction from one RGB-D view.
 *
 * @param budget          most Gaussians per frame (default 65536)
 * @param maxBlock        largest merged pixel block side (power of two)
 * @param depthTolerance  relative depth standard deviation a merged block may have
 * @param colorTolerance  colour standard deviation (0..1 scale) a merged block may have
 * @param scaleFactor     Gaussian sigma as a fraction of the block's footprint at its depth
 * @param thickness       sigma along the normal as a fraction of the smaller tangent sigma
 * @param maxStretch      tangent stretch (vs a fronto-parallel footprint) above which a block is treated as a depth
 *                        edge and kept fronto-parallel
 * @param opacity         opacity of a fully valid block
 * @param shDegree        0, or 1 to carry a (zero) degree-1 SH band: one view holds no view-dependent colour
 * @param hfovDegrees     horizontal field of view assumed when the source has no intrinsics
 */
public record GaussianBuildConfig(int budget, int maxBlock, double depthTolerance, double colorTolerance,
                                  double scaleFactor, double thickness, double maxStretch, float opacity,
                                  int shDegree, double hfovDegrees) {

    public GaussianBuildConfig {
        if (budget < 1) throw new IllegalArgumentException("budget must be >= 1, got " + budget);
        if (maxBlock < 1 || Integer.bitCount(maxBlock) != 1) throw new IllegalArgumentException("maxBlock must be a power of two, got " + maxBlock);
        if (!(depthTolerance > 0 && colorTolerance > 0 && scaleFactor > 0 && thickness > 0 && maxStretch >= 1)) {
            throw new IllegalArgumentException("tolerances, scaleFactor and thickness must be > 0 and maxStretch >= 1");
        }
        if (!(opacity > 0 && opacity <= 1)) throw new IllegalArgumentException("opacity must be in (0, 1], got " + opacity);
        if (shDegree < 0 || shDegree > 1) throw new IllegalArgumentException("shDegree must be 0 or 1, got " + shDegree);
    }

    public static GaussianBuildConfig defaults() {
        return new GaussianBuildConfig(65536, 16, 0.01, 0.03, 0.65, 0.1, 4.0, 0.98f, 0, 60.0);
    }

    public GaussianBuildConfig withBudget(int b) {
        return new GaussianBuildConfig(b, maxBlock, depthTolerance, colorTolerance, scaleFactor, thickness, maxStretch,
                opacity, shDegree, hfovDegrees);
    }

    public GaussianBuildConfig withShDegree(int d) {
        return new GaussianBuildConfig(budget, maxBlock, depthTolerance, colorTolerance, scaleFactor, thickness, maxStretch,
                opacity, d, hfovDegrees);
    }
}
