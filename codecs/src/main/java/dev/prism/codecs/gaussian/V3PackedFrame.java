package dev.prism.codecs.gaussian;

/**
 * One frame of Gaussians laid out as V^3 attribute images (ALGORITHMS.md 8.2 "Packing one frame into images").
 *
 * @param side   image side S (multiple of 8, S*S >= count)
 * @param count  Gaussians stored in the first {@code count} pixels, row-major
 * @param shDegree SH degree of the colours
 * @param planes one S*S grayscale image per image index (see {@link V3Packer} for the index table)
 * @param min    per attribute column minimum (columns: xyz, normals, f_dc, opacity, scale, rotation, SH rest)
 * @param max    per attribute column maximum
 */
public record V3PackedFrame(int side, int count, int shDegree, byte[][] planes, float[] min, float[] max) {
    public V3PackedFrame {
        if (side <= 0 || side % 8 != 0 || (long) side * side < count) {
            throw new GaussianStreamException("V3 frame side " + side + " is not a positive multiple of 8 holding " + count + " Gaussians");
        }
        int columns = V3Packer.columns(shDegree);
        if (planes.length != V3Packer.planeCount(shDegree) || min.length != columns || max.length != columns) {
            throw new GaussianStreamException("V3 frame has " + planes.length + " planes and " + min.length + "/" + max.length
                    + " min/max columns; SH degree " + shDegree + " needs " + V3Packer.planeCount(shDegree) + " and " + columns);
        }
        for (byte[] p : planes) {
            if (p.length != side * side) throw new GaussianStreamException("V3 plane holds " + p.length + " bytes, expected " + side * side);
        }
    }
}
