package dev.prism.codecs.gaussian;

import java.util.Arrays;

/**
 * One frame of 3D Gaussians as plain struct-of-arrays, in render space (ALGORITHMS.md 8.1 attribute table,
 * 8.2 step 1): positions xyz (3 per Gaussian), scales as linear standard deviations (3), rotations as
 * quaternions w,x,y,z (4), colour as SH DC coefficients per RGB channel (3), the higher SH bands
 * (3 * ((degree+1)^2 - 1) per Gaussian, empty for degree 0) and opacity in [0, 1] (1).
 */
public record GaussianFrame(int count, int shDegree, float[] positions, float[] scales, float[] rotations,
                            float[] colors, float[] shRest, float[] opacities) {

    /** SH band-0 constant: colour = 0.5 + C0 * f_dc. */
    public static final float SH_C0 = 0.28209479177387814f;

    public GaussianFrame {
        if (count < 0) throw new IllegalArgumentException("Gaussian count must be >= 0, got " + count);
        if (shDegree < 0 || shDegree > 3) throw new IllegalArgumentException("SH degree must be 0..3, got " + shDegree);
        check("positions", positions, count * 3);
        check("scales", scales, count * 3);
        check("rotations", rotations, count * 4);
        check("colors", colors, count * 3);
        check("shRest", shRest, count * shRestPerGaussian(shDegree));
        check("opacities", opacities, count);
    }

    private static void check(String name, float[] a, int expected) {
        if (a == null || a.length != expected) {
            throw new IllegalArgumentException(name + " must hold " + expected + " floats for this count, got "
                    + (a == null ? "null" : a.length));
        }
    }

    /** Number of higher-band SH floats per Gaussian for a degree: 0, 9, 24 or 45. */
    public static int shRestPerGaussian(int degree) {
        return 3 * ((degree + 1) * (degree + 1) - 1);
    }

    /** An all-zero frame of the given shape (identity rotations, zero opacity). */
    public static GaussianFrame allocate(int count, int shDegree) {
        float[] rot = new float[count * 4];
        for (int i = 0; i < count; i++) rot[i * 4] = 1f;
        return new GaussianFrame(count, shDegree, new float[count * 3], new float[count * 3], rot,
                new float[count * 3], new float[count * shRestPerGaussian(shDegree)], new float[count]);
    }

    /** The array of one attribute, in {@link Attribute} order. */
    public float[] attribute(Attribute a) {
        return switch (a) {
            case POSITION -> positions;
            case SCALE -> scales;
            case ROTATION -> rotations;
            case COLOR -> colors;
            case SH_REST -> shRest;
            case OPACITY -> opacities;
        };
    }

    /** Linear RGB in [0,1] of Gaussian i's SH DC term (view-independent colour). */
    public float rgb(int i, int channel) {
        return 0.5f + SH_C0 * colors[i * 3 + channel];
    }

    public GaussianFrame copy() {
        return new GaussianFrame(count, shDegree, positions.clone(), scales.clone(), rotations.clone(), colors.clone(),
                shRest.clone(), opacities.clone());
    }

    /** True when every attribute array is bit-identical. */
    public boolean sameAs(GaussianFrame o) {
        return count == o.count && shDegree == o.shDegree && Arrays.equals(positions, o.positions)
                && Arrays.equals(scales, o.scales) && Arrays.equals(rotations, o.rotations)
                && Arrays.equals(colors, o.colors) && Arrays.equals(shRest, o.shRest)
                && Arrays.equals(opacities, o.opacities);
    }

    /** The per-Gaussian attributes in stream order, with their float count per Gaussian. */
    public enum Attribute {
        POSITION, SCALE, ROTATION, COLOR, SH_REST, OPACITY;

        public int width(int shDegree) {
            return switch (this) {
                case POSITION, SCALE, COLOR -> 3;
                case ROTATION -> 4;
                case SH_REST -> shRestPerGaussian(shDegree);
                case OPACITY -> 1;
            };
        }
    }
}
