package dev.prism.llm.vlm;

import java.util.ArrayList;
import java.util.List;

/**
 * Image preparation as the models' processors do it, on interleaved 8-bit RGB: CLIP's resize of the
 * shortest edge + centre crop (LLaVA-1.5) and Idefics3's resize + split into tiles plus a global view.
 * Resampling is bilinear (the HF processors use bicubic; outputs differ slightly from theirs).
 */
public final class ImagePreprocessor {
    private final float[] mean;
    private final float[] std;

    public ImagePreprocessor(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** A tiled image: tiles row-major, then the global view last (absent when there is one tile). */
    public record Tiles(List<float[]> tiles, int rows, int cols, boolean hasGlobal) {
    }

    static void check(byte[] rgb, int w, int h) {
        if (w <= 0 || h <= 0 || rgb.length != w * h * 3) {
            throw new IllegalArgumentException("expected " + w + "x" + h + " interleaved RGB (" + ((long) w * h * 3)
                    + " bytes), got " + rgb.length + " bytes");
        }
    }

    /** CLIP: shortest edge to size, centre crop size x size, normalise; CHW floats. */
    public float[] clip(byte[] rgb, int w, int h, int size) {
        check(rgb, w, h);
        double scale = (double) size / Math.min(w, h);
        int rw = Math.max(size, (int) Math.round(w * scale));
        int rh = Math.max(size, (int) Math.round(h * scale));
        int x0 = (rw - size) / 2;
        int y0 = (rh - size) / 2;
        return sample(rgb, w, h, rw, rh, x0, y0, size);
    }

    /** Square resize of the whole image (Idefics3's global view). */
    public float[] square(byte[] rgb, int w, int h, int size) {
        check(rgb, w, h);
        return sample(rgb, w, h, size, size, 0, 0, size);
    }

    /**
     * Idefics3 splitting: longest edge to longestEdge, both sides up to a multiple of tile, split into
     * tile x tile crops, plus the global view resized to tile x tile when there is more than one crop.
     */
    public Tiles split(byte[] rgb, int w, int h, int longestEdge, int tile) {
        check(rgb, w, h);
        double scale = (double) longestEdge / Math.max(w, h);
        int rw = (int) Math.ceil(Math.max(1, Math.round(w * scale)) / (double) tile) * tile;
        int rh = (int) Math.ceil(Math.max(1, Math.round(h * scale)) / (double) tile) * tile;
        int cols = rw / tile;
        int rows = rh / tile;
        List<float[]> tiles = new ArrayList<>();
        if (rows * cols == 1) {
            tiles.add(square(rgb, w, h, tile));
            return new Tiles(tiles, 1, 1, false);
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                tiles.add(sample(rgb, w, h, rw, rh, c * tile, r * tile, tile));
            }
        }
        tiles.add(square(rgb, w, h, tile));
        return new Tiles(tiles, rows, cols, true);
    }

    /** Crop [x0, x0+size) x [y0, y0+size) of the image resized to rw x rh, bilinear, normalised, CHW. */
    private float[] sample(byte[] rgb, int w, int h, int rw, int rh, int x0, int y0, int size) {
        float[] out = new float[3 * size * size];
        for (int y = 0; y < size; y++) {
            double sy = Math.min(h - 1, Math.max(0, (y0 + y + 0.5) * h / rh - 0.5));
            int iy = (int) sy;
            int iy1 = Math.min(h - 1, iy + 1);
            double fy = sy - iy;
            for (int x = 0; x < size; x++) {
                double sx = Math.min(w - 1, Math.max(0, (x0 + x + 0.5) * w / rw - 0.5));
                int ix = (int) sx;
                int ix1 = Math.min(w - 1, ix + 1);
                double fx = sx - ix;
                for (int c = 0; c < 3; c++) {
                    double v = (1 - fy) * ((1 - fx) * px(rgb, w, ix, iy, c) + fx * px(rgb, w, ix1, iy, c))
                            + fy * ((1 - fx) * px(rgb, w, ix, iy1, c) + fx * px(rgb, w, ix1, iy1, c));
                    out[(c * size + y) * size + x] = (float) ((v / 255.0 - mean[c]) / std[c]);
                }
            }
        }
        return out;
    }

    private static int px(byte[] rgb, int w, int x, int y, int c) {
        return rgb[(y * w + x) * 3 + c] & 0xff;
    }
}
