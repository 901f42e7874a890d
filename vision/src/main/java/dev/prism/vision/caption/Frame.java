package dev.prism.vision.caption;

/**
 * One decoded video frame of a segment: interleaved 8-bit RGB, row-major, {@code width * height * 3} bytes.
 *
 * @param pts presentation time in seconds (carried into the figures, not used by the model)
 */
public record Frame(double pts, int width, int height, byte[] rgb) {
    public Frame {
        CaptionException.check(width > 0 && height > 0, "frame at pts " + pts + " has size " + width + "x" + height
                + ": width and height must be positive");
        CaptionException.check(rgb != null && rgb.length == (long) width * height * 3, "frame at pts " + pts + " is "
                + width + "x" + height + " and needs " + ((long) width * height * 3) + " RGB bytes, got "
                + (rgb == null ? "null" : rgb.length + " bytes") + ": pass interleaved 8-bit RGB");
    }
}
