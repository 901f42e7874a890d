package dev.prism.codecs.gaussian;

import java.util.Random;

/** Generated Gaussian frames for the codec tests: a static background plus one block of Gaussians that moves. */
final class SyntheticGaussians {
    private SyntheticGaussians() {
    }

    static GaussianFrame scene(int count, long seed) {
        Random r = new Random(seed);
        GaussianFrame f = GaussianFrame.allocate(count, 1);
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < 3; c++) {
                f.positions()[i * 3 + c] = (float) (r.nextGaussian() * 2);
                f.scales()[i * 3 + c] = 0.01f + r.nextFloat() * 0.05f;
                f.colors()[i * 3 + c] = (float) r.nextGaussian();
            }
            double a = r.nextDouble() * Math.PI;
            f.rotations()[i * 4] = (float) Math.cos(a / 2);
            f.rotations()[i * 4 + 3] = (float) Math.sin(a / 2);
            f.opacities()[i] = r.nextFloat();
        }
        return f;
    }

    /** The scene at time t: Gaussians [moveFrom, moveTo) translate along x and change colour; the rest are still. */
    static GaussianFrame at(GaussianFrame base, int t, int moveFrom, int moveTo) {
        GaussianFrame f = base.copy();
        for (int i = moveFrom; i < moveTo; i++) {
            f.positions()[i * 3] += 0.01f * t;
            f.positions()[i * 3 + 1] += 0.003f * (float) Math.sin(t * 0.3);
            f.colors()[i * 3] += 0.02f * t;
        }
        return f;
    }
}
