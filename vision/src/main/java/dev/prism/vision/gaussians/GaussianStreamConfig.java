package dev.prism.vision.gaussians;

import dev.prism.codecs.gaussian.QueenConfig;

/**
 * Settings of the Gaussian stream facade.
 *
 * @param build      construction settings (budget, tolerances, assumed FOV)
 * @param queen      residual stream settings (keyframe interval, steps, gate)
 * @param psnrEvery  render the decoded frame from the source camera and measure PSNR every this many frames
 *                   (0 = never; rendering costs more than construction)
 * @param nearDepth  metric depth assigned to the nearest relative inverse depth (monocular depth has no scale)
 * @param farDepth   metric depth assigned to the farthest
 */
public record GaussianStreamConfig(GaussianBuildConfig build, QueenConfig queen, int psnrEvery, double nearDepth, double farDepth) {
    public GaussianStreamConfig {
        if (psnrEvery < 0) throw new IllegalArgumentException("psnrEvery must be >= 0, got " + psnrEvery);
        if (!(nearDepth > 0 && farDepth > nearDepth)) throw new IllegalArgumentException("need 0 < nearDepth < farDepth");
    }

    public static GaussianStreamConfig defaults() {
        return new GaussianStreamConfig(GaussianBuildConfig.defaults(), QueenConfig.defaults(), 0, 1.0, 10.0);
    }

    public GaussianStreamConfig withPsnrEvery(int n) {
        return new GaussianStreamConfig(build, queen, n, nearDepth, farDepth);
    }

    public GaussianStreamConfig withBuild(GaussianBuildConfig b) {
        return new GaussianStreamConfig(b, queen, psnrEvery, nearDepth, farDepth);
    }

    public GaussianStreamConfig withQueen(QueenConfig q) {
        return new GaussianStreamConfig(build, q, psnrEvery, nearDepth, farDepth);
    }
}
