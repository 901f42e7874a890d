package dev.prism.vision.render;

/**
 * A pinhole camera in OpenCV convention (x right, y down, z forward): intrinsics fx, fy, cx, cy and a world to
 * camera transform x_cam = R * x_world + t with R row-major 3x3.
 */
public record PinholeCamera(int width, int height, double fx, double fy, double cx, double cy, double[] rotation,
                            double[] translation) {

    public PinholeCamera {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("camera size must be positive, got " + width + "x" + height);
        if (!(fx > 0 && fy > 0)) throw new IllegalArgumentException("focal lengths must be > 0, got " + fx + ", " + fy);
        if (rotation.length != 9 || translation.length != 3) throw new IllegalArgumentException("rotation must be 3x3 and translation 3-vector");
    }

    /** The source camera at the origin from intrinsics. */
    public static PinholeCamera of(int width, int height, double fx, double fy, double cx, double cy) {
        return new PinholeCamera(width, height, fx, fy, cx, cy, new double[]{1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
    }

    /** The source camera from an assumed horizontal field of view (degrees), principal point at the centre. */
    public static PinholeCamera fromHorizontalFov(int width, int height, double hfovDegrees) {
        if (!(hfovDegrees > 1 && hfovDegrees < 179)) throw new IllegalArgumentException("horizontal FOV must be in (1, 179) degrees, got " + hfovDegrees);
        double f = width / 2.0 / Math.tan(Math.toRadians(hfovDegrees) / 2);
        return of(width, height, f, f, width / 2.0, height / 2.0);
    }

    /**
     * This camera moved to world position (px, py, pz) and turned by yaw degrees about the vertical axis, for
     * thumbnails from a new viewpoint.
     */
    public PinholeCamera movedTo(double px, double py, double pz, double yawDegrees) {
        double a = Math.toRadians(yawDegrees);
        double c = Math.cos(a), s = Math.sin(a);
        // Camera to world rotation is a yaw about y; world to camera is its transpose.
        double[] r = {c, 0, -s, 0, 1, 0, s, 0, c};
        double[] t = {-(r[0] * px + r[1] * py + r[2] * pz), -(r[3] * px + r[4] * py + r[5] * pz), -(r[6] * px + r[7] * py + r[8] * pz)};
        return new PinholeCamera(width, height, fx, fy, cx, cy, r, t);
    }

    /** Camera centre in world coordinates: -R^T t. */
    public double[] centre() {
        double[] r = rotation, t = translation;
        return new double[]{-(r[0] * t[0] + r[3] * t[1] + r[6] * t[2]), -(r[1] * t[0] + r[4] * t[1] + r[7] * t[2]),
                -(r[2] * t[0] + r[5] * t[1] + r[8] * t[2])};
    }
}
