package dev.prism.vision.gaussians;

/**
 * Which pixel block each Gaussian stands for: blocks of a quadtree (tiles raster-ordered, Morton order inside a
 * tile), fixed for a group of frames so the Gaussian count and order stay constant between keyframes (the V^3
 * group invariant, ALGORITHMS.md 8.2, and what QUEEN's residuals need).
 */
public record BlockLayout(int width, int height, int count, int[] x, int[] y, int[] w, int[] h) {

    /** Whether block i overlaps the pixel rectangle [x0, x1) x [y0, y1). */
    public boolean overlaps(int i, int x0, int y0, int x1, int y1) {
        return x[i] < x1 && x[i] + w[i] > x0 && y[i] < y1 && y[i] + h[i] > y0;
    }
}
