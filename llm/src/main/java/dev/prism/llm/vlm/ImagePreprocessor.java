package dev.prism.llm.vlm;

import dev.prism.llm.checkpoint.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Image preparation as the models' processors do it, on interleaved 8-bit RGB: CLIP's resize of the
 * shortest edge + centre crop (LLaVA-1.5) and Idefics3's resize + split into tiles plus a global view.
 *
 * <p>Resizing is PIL's {@code Image.resize} on an 8-bit image, which the Hugging Face processors call
 * with the {@code resample} of preprocessor_config.json: a separable convolution, horizontal pass
 * first, whose kernel support is stretched by the scale when downsampling (so downsampling
 * antialiases), with coefficients normalised per output pixel and rounded to 22-bit fixed point, and
 * every pass rounded and clamped to 0..255 (bicubic's overshoot included) before rescale/normalise.
 * NEAREST is PIL's affine scale (source = floor((x + 0.5) * in / out), accumulated as PIL does).
 *
 * <p>Not reproduced: the float rescale/normalise may differ from numpy's in the last bit; Idefics3's
 * processor without image splitting (one non-square image, padded) is not offered.
 */
public final class ImagePreprocessor {
    /** PIL's resampling filters under the ids preprocessor_config.json uses for {@code resample}. */
    public enum Resample {
        NEAREST(0, 0), LANCZOS(1, 3), BILINEAR(2, 1), BICUBIC(3, 2), BOX(4, 0.5), HAMMING(5, 1);

        private final int pilId;
        private final double support;

        Resample(int pilId, double support) {
            this.pilId = pilId;
            this.support = support;
        }

        public int pilId() {
            return pilId;
        }

        public static Resample ofPil(int id) {
            for (Resample r : values()) {
                if (r.pilId == id) {
                    return r;
                }
            }
            throw new IllegalArgumentException("resample " + id + " is not a PIL filter id (0 nearest, 1 lanczos, "
                    + "2 bilinear, 3 bicubic, 4 box, 5 hamming); fix preprocessor_config.json");
        }

        /**
         * The config's {@code resample}, else the default of the Hugging Face processor class it names
         * (CLIP: bicubic, SigLIP: bilinear, Idefics3: Lanczos), else bicubic.
         */
        public static Resample fromConfig(Optional<ModelConfig> preprocessorConfig) {
            if (preprocessorConfig.isEmpty()) {
                return BICUBIC;
            }
            ModelConfig pc = preprocessorConfig.get();
            if (pc.has("resample")) {
                if (!pc.json().get("resample").canConvertToInt()) {
                    throw new IllegalArgumentException(pc.where() + ": resample must be a PIL filter id, got "
                            + pc.json().get("resample"));
                }
                return ofPil(pc.json().get("resample").asInt());
            }
            String type = pc.getString("image_processor_type", "").toLowerCase(Locale.ROOT);
            if (type.startsWith("siglip")) {
                return BILINEAR;
            }
            return type.startsWith("idefics3") ? LANCZOS : BICUBIC;
        }

        /** PIL's filter kernels (Resample.c), in double as PIL evaluates them. */
        double kernel(double x) {
            double ax = Math.abs(x);
            switch (this) {
                case BOX:
                    return x > -0.5 && x <= 0.5 ? 1 : 0;
                case BILINEAR:
                    return ax < 1 ? 1 - ax : 0;
                case HAMMING:
                    if (ax == 0) {
                        return 1;
                    }
                    if (ax >= 1) {
                        return 0;
                    }
                    return Math.sin(ax * Math.PI) / (ax * Math.PI) * ((double) 0.54f + (double) 0.46f * Math.cos(ax * Math.PI));
                case BICUBIC: {
                    double a = -0.5;
                    if (ax < 1) {
                        return ((a + 2) * ax - (a + 3)) * ax * ax + 1;
                    }
                    return ax < 2 ? (((ax - 5) * ax + 8) * ax - 4) * a : 0;
                }
                case LANCZOS:
                    return x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0;
                default:
                    throw new IllegalStateException("nearest has no kernel");
            }
        }

        private static double sinc(double x) {
            return x == 0 ? 1 : Math.sin(x * Math.PI) / (x * Math.PI);
        }
    }

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private final float[] mean;
    private final float[] std;
    private final Resample resample;

    /** Bicubic (the CLIP processor's default). */
    public ImagePreprocessor(float[] mean, float[] std) {
        this(mean, std, Resample.BICUBIC);
    }

    public ImagePreprocessor(float[] mean, float[] std, Resample resample) {
        this.mean = mean;
        this.std = std;
        this.resample = resample;
    }

    public Resample resample() {
        return resample;
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

    /** CLIP: shortest edge to size (long edge truncated as HF's get_resize_output_image_size), centre crop, normalise; CHW. */
    public float[] clip(byte[] rgb, int w, int h, int size) {
        check(rgb, w, h);
        int rw = w <= h ? size : Math.max(size, (int) ((long) size * w / h));
        int rh = w <= h ? Math.max(size, (int) ((long) size * h / w)) : size;
        byte[] r = resize(rgb, w, h, rw, rh, resample);
        return crop(r, rw, (rw - size) / 2, (rh - size) / 2, size);
    }

    /** Square resize of the whole image (Idefics3's global view). */
    public float[] square(byte[] rgb, int w, int h, int size) {
        check(rgb, w, h);
        return crop(resize(rgb, w, h, size, size, resample), size, 0, 0, size);
    }

    /**
     * Idefics3's processor with image splitting, step by step as Hugging Face's Idefics3ImageProcessor:
     * (1) resize so the longest edge is longestEdge (the other side truncated, then rounded up to even);
     * (2) resize to multiples of tile (width first when landscape, the height following its aspect
     * ratio); (3) cut tile x tile crops row-major, plus the step-2 image resized to tile x tile as the
     * global view; an image that is a single tile after step 2 is that tile alone. Every resize uses this
     * preprocessor's resample filter on 8-bit pixels.
     */
    public Tiles split(byte[] rgb, int w, int h, int longestEdge, int tile) {
        check(rgb, w, h);
        if (longestEdge <= 0 || tile <= 0) {
            throw new IllegalArgumentException("Idefics3 sizes must be positive; got longest_edge " + longestEdge + ", tile " + tile);
        }
        int w1;
        int h1;
        double aspect = (double) w / h;
        if (w >= h) {
            w1 = longestEdge;
            h1 = evenUp((int) (w1 / aspect));
        } else {
            h1 = longestEdge;
            w1 = evenUp((int) (h1 * aspect));
        }
        w1 = Math.max(1, w1);
        h1 = Math.max(1, h1);
        byte[] a = resize(rgb, w, h, w1, h1, resample);
        int w2;
        int h2;
        aspect = (double) w1 / h1;
        if (w1 >= h1) {
            w2 = (int) Math.ceil((double) w1 / tile) * tile;
            h2 = (int) Math.ceil((int) (w2 / aspect) / (double) tile) * tile;
        } else {
            h2 = (int) Math.ceil((double) h1 / tile) * tile;
            w2 = (int) Math.ceil((int) (h2 * aspect) / (double) tile) * tile;
        }
        w2 = Math.max(tile, w2);
        h2 = Math.max(tile, h2);
        byte[] b = resize(a, w1, h1, w2, h2, resample);
        List<float[]> tiles = new ArrayList<>();
        if (w2 == tile && h2 == tile) {
            tiles.add(crop(b, tile, 0, 0, tile));
            return new Tiles(tiles, 1, 1, false);
        }
        int cols = w2 / tile;
        int rows = h2 / tile;
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                tiles.add(crop(b, w2, x * tile, y * tile, tile));
            }
        }
        tiles.add(crop(resize(b, w2, h2, tile, tile, resample), tile, 0, 0, tile));
        return new Tiles(tiles, rows, cols, true);
    }

    private static int evenUp(int v) {
        return v % 2 != 0 ? v + 1 : v;
    }

    /** [x0, x0+size) x [y0, y0+size) of an RGB image of width w, rescaled to 0..1 and normalised, CHW. */
    private float[] crop(byte[] img, int w, int x0, int y0, int size) {
        float[] out = new float[3 * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = (img[((y0 + y) * w + x0 + x) * 3 + c] & 0xff) / 255.0;
                    out[(c * size + y) * size + x] = (float) ((v - mean[c]) / std[c]);
                }
            }
        }
        return out;
    }

    /** PIL's Image.resize of interleaved 8-bit RGB to nw x nh (see the class comment). */
    public static byte[] resize(byte[] rgb, int w, int h, int nw, int nh, Resample filter) {
        check(rgb, w, h);
        if (nw <= 0 || nh <= 0) {
            throw new IllegalArgumentException("resize target must be positive, got " + nw + "x" + nh);
        }
        if (filter == Resample.NEAREST) {
            return nearest(rgb, w, h, nw, nh);
        }
        byte[] img = rgb;
        int iw = w;
        int ih = h;
        if (nw != w) {
            img = pass(img, iw, ih, nw, filter, true);
            iw = nw;
        }
        if (nh != h) {
            img = pass(img, iw, ih, nh, filter, false);
        }
        return img == rgb ? rgb.clone() : img;
    }

    /** One separable pass (horizontal or vertical) with PIL's fixed-point coefficients. */
    private static byte[] pass(byte[] in, int w, int h, int outSize, Resample f, boolean horizontal) {
        int inSize = horizontal ? w : h;
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(1, scale);
        double support = f.support * filterScale;
        int ow = horizontal ? outSize : w;
        int oh = horizontal ? h : outSize;
        byte[] out = new byte[ow * oh * 3];
        int stride = horizontal ? 3 : w * 3;
        for (int o = 0; o < outSize; o++) {
            double center = (o + 0.5) * scale;
            int min = Math.max(0, (int) (center - support + 0.5));
            int max = Math.min(inSize, (int) (center + support + 0.5)) - min;
            double[] k = new double[Math.max(0, max)];
            double sum = 0;
            double ss = 1.0 / filterScale;
            for (int i = 0; i < k.length; i++) {
                k[i] = f.kernel((i + min - center + 0.5) * ss);
                sum += k[i];
            }
            int[] fixed = new int[k.length];
            for (int i = 0; i < k.length; i++) {
                double v = (sum != 0 ? k[i] / sum : k[i]) * (1 << PRECISION_BITS);
                fixed[i] = (int) (v < 0 ? v - 0.5 : v + 0.5);
            }
            int lines = horizontal ? h : w;
            for (int line = 0; line < lines; line++) {
                int src = horizontal ? (line * w + min) * 3 : (min * w + line) * 3;
                int dst = horizontal ? (line * ow + o) * 3 : (o * w + line) * 3;
                for (int c = 0; c < 3; c++) {
                    int acc = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < fixed.length; i++) {
                        acc += (in[src + i * stride + c] & 0xff) * fixed[i];
                    }
                    out[dst + c] = (byte) Math.min(255, Math.max(0, acc >> PRECISION_BITS));
                }
            }
        }
        return out;
    }

    /**
     * PIL's NEAREST resize: source coordinate accumulated from (0.5 * in / out) in steps of in / out; a
     * coordinate that rounding pushes past the edge leaves a black pixel, as PIL's fill does.
     */
    private static byte[] nearest(byte[] rgb, int w, int h, int nw, int nh) {
        byte[] out = new byte[nw * nh * 3];
        int[] xs = new int[nw];
        double ax = (double) w / nw;
        double xo = ax * 0.5;
        for (int x = 0; x < nw; x++) {
            xs[x] = (int) xo < w ? (int) xo : -1;
            xo += ax;
        }
        double ay = (double) h / nh;
        double yo = ay * 0.5;
        for (int y = 0; y < nh; y++) {
            int sy = (int) yo;
            yo += ay;
            for (int x = 0; x < nw && sy < h; x++) {
                if (xs[x] >= 0) {
                    System.arraycopy(rgb, (sy * w + xs[x]) * 3, out, (y * nw + x) * 3, 3);
                }
            }
        }
        return out;
    }
}
