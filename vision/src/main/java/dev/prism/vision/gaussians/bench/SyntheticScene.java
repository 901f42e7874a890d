package dev.prism.vision.gaussians.bench;

import dev.prism.vision.render.PinholeCamera;

/**
 * A generated RGB-D scene for tests and benchmarks: a shaded back wall and floor, a static box, and a sphere that
 * moves left to right; rendered by ray casting so the depth is exact. With the default static camera only the
 * sphere changes between frames; a camera speed slides the camera along x (motion parallax for the
 * {@code builtin-parallax} depth).
 */
public final class SyntheticScene {
    private final int width;
    private final int height;
    private final PinholeCamera camera;
    private final double cameraSpeed;

    public SyntheticScene(int width, int height) {
        this(width, height, 0);
    }

    /** @param cameraSpeed camera x translation per frame, scene units */
    public SyntheticScene(int width, int height, double cameraSpeed) {
        this.width = width;
        this.height = height;
        this.camera = PinholeCamera.fromHorizontalFov(width, height, 60);
        this.cameraSpeed = cameraSpeed;
    }

    public PinholeCamera camera() {
        return camera;
    }

    /** Sphere centre x at frame t. */
    public double sphereX(int t) {
        return -1.2 + 0.02 * t;
    }

    public static final double SPHERE_Y = 0.3;
    public static final double SPHERE_Z = 4.0;
    public static final double SPHERE_R = 0.5;

    /** One frame: interleaved RGB bytes and metric depth (z) per pixel. */
    public Frame frame(int t) {
        byte[] rgb = new byte[width * height * 3];
        float[] depth = new float[width * height];
        double cx = cameraSpeed * t;
        double sx = sphereX(t) - cx;   // in camera coordinates
        for (int v = 0; v < height; v++) {
            for (int u = 0; u < width; u++) {
                double dx = (u + 0.5 - camera.cx()) / camera.fx(), dy = (v + 0.5 - camera.cy()) / camera.fy();
                double best = Double.POSITIVE_INFINITY;
                double r = 0, g = 0, b = 0;
                // Back wall z = 7.
                double zw = 7;
                double wx = cx + dx * zw, wy = dy * zw;
                best = zw;
                r = 0.55 + 0.25 * Math.sin(wx * 1.3) * Math.cos(wy * 0.9);
                g = 0.45 + 0.2 * Math.cos(wx * 0.7 + wy * 0.4);
                b = 0.35 + 0.1 * (wy + 3) / 6;
                // Floor y = 1.2 (y down).
                if (dy > 1e-6) {
                    double zf = 1.2 / dy;
                    if (zf < best) {
                        best = zf;
                        double fx = cx + dx * zf;
                        double check = 0.5 + 0.5 * Math.tanh(3 * Math.sin(fx * 2) * Math.sin(zf * 2));
                        r = 0.3 + 0.3 * check;
                        g = 0.32 + 0.25 * check;
                        b = 0.28 + 0.2 * check;
                    }
                }
                // Static box: front face z = 5, x in [0.8, 1.8], y in [0.2, 1.2].
                double zb = 5;
                double bx = cx + dx * zb, by = dy * zb;
                if (bx >= 0.8 && bx <= 1.8 && by >= 0.2 && by <= 1.2 && zb < best) {
                    best = zb;
                    r = 0.2;
                    g = 0.35 + 0.2 * (bx - 0.8);
                    b = 0.7;
                }
                // Moving sphere.
                double ox = -sx, oy = -SPHERE_Y, oz = -SPHERE_Z;
                double a = dx * dx + dy * dy + 1, hb = dx * ox + dy * oy + oz, c = ox * ox + oy * oy + oz * oz - SPHERE_R * SPHERE_R;
                double disc = hb * hb - a * c;
                if (disc >= 0) {
                    double s = (-hb - Math.sqrt(disc)) / a;
                    if (s > 0 && s < best) {
                        best = s;
                        double nx = (dx * s - sx) / SPHERE_R, ny = (dy * s - SPHERE_Y) / SPHERE_R, nz = (s - SPHERE_Z) / SPHERE_R;
                        double shade = 0.35 + 0.65 * Math.max(0, -0.4 * nx - 0.6 * ny - 0.7 * nz);
                        r = 0.9 * shade;
                        g = 0.3 * shade;
                        b = 0.2 * shade;
                    }
                }
                int p = v * width + u;
                depth[p] = (float) best;
                rgb[p * 3] = (byte) Math.round(255 * clamp(r));
                rgb[p * 3 + 1] = (byte) Math.round(255 * clamp(g));
                rgb[p * 3 + 2] = (byte) Math.round(255 * clamp(b));
            }
        }
        return new Frame(width, height, rgb, depth);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    public record Frame(int width, int height, byte[] rgb, float[] depth) {
    }
}
