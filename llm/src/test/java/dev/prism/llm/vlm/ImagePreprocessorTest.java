package dev.prism.llm.vlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prism.llm.checkpoint.ModelConfig;
import dev.prism.llm.vlm.ImagePreprocessor.Resample;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
    private static byte[] grey(int w, int h, java.util.function.IntBinaryOperator f) {
        byte[] img = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    img[(y * w + x) * 3 + c] = (byte) f.applyAsInt(x, y);
                }
            }
        }
        return img;
    }

    private static int px(byte[] img, int w, int x, int y) {
        return img[(y * w + x) * 3] & 0xff;
    }

    @Test
    void aConstantImageStaysConstantUnderEveryFilterUpAndDown() {
        byte[] img = grey(17, 9, (x, y) -> 137);
        for (Resample r : Resample.values()) {
            for (int[] size : new int[][] {{40, 23}, {6, 4}, {17, 3}}) {
                byte[] out = ImagePreprocessor.resize(img, 17, 9, size[0], size[1], r);
                assertEquals(size[0] * size[1] * 3, out.length);
                for (byte b : out) {
                    assertEquals(137, b & 0xff, r + " to " + size[0] + "x" + size[1]);
                }
            }
        }
    }

    @Test
    void aLinearRampUpsampledStaysARampInTheInterior() {
        int w = 8;
        int nw = 32;
        byte[] ramp = grey(w, 3, (x, y) -> 10 + 20 * x);
        for (Resample r : new Resample[] {Resample.BICUBIC, Resample.BILINEAR}) {
            byte[] out = ImagePreprocessor.resize(ramp, w, 3, nw, 3, r);
            // bicubic's support is 2 source pixels: outputs whose taps all lie inside the image
            for (int o = 12; o < nw - 12; o++) {
                double src = (o + 0.5) * w / nw - 0.5;
                assertEquals(10 + 20 * src, px(out, nw, o, 1), 0.5 + 1e-9, r + " at " + o);
            }
        }
    }

    /** PIL's bicubic weights for 4 -> 2 (scale 2: support 4, kernel at (i - centre + 0.5) / 2 = +-0.25, +-0.75, +-1.25). */
    private static double[] weights(int o) {
        double near = ((-0.5 + 2) * 0.25 - (-0.5 + 3)) * 0.25 * 0.25 + 1;       // k(0.25) = 0.8671875
        double mid = ((-0.5 + 2) * 0.75 - (-0.5 + 3)) * 0.75 * 0.75 + 1;        // k(0.75) = 0.2265625
        double far = (((1.25 - 5) * 1.25 + 8) * 1.25 - 4) * -0.5;               // k(1.25) = -0.0703125
        double sum = 2 * near + mid + far;
        double[] left = {near / sum, near / sum, mid / sum, far / sum};
        return o == 0 ? left : new double[] {left[3], left[2], left[1], left[0]};
    }

    @Test
    void aFourByFourToTwoByTwoDownsampleEqualsTheSeparableBicubicByHand() {
        int[][] v = {{10, 50, 90, 200}, {30, 61, 120, 250}, {0, 40, 80, 160}, {255, 100, 20, 5}};
        byte[] img = grey(4, 4, (x, y) -> v[y][x]);
        byte[] out = ImagePreprocessor.resize(img, 4, 4, 2, 2, Resample.BICUBIC);
        // horizontal pass first, rounded and clamped to 8 bits, then the vertical pass (PIL's order)
        int[][] tmp = new int[4][2];
        for (int y = 0; y < 4; y++) {
            for (int o = 0; o < 2; o++) {
                double s = 0;
                for (int i = 0; i < 4; i++) {
                    s += v[y][i] * weights(o)[i];
                }
                tmp[y][o] = round8(s);
            }
        }
        for (int oy = 0; oy < 2; oy++) {
            for (int ox = 0; ox < 2; ox++) {
                double s = 0;
                for (int i = 0; i < 4; i++) {
                    s += tmp[i][ox] * weights(oy)[i];
                }
                assertEquals(round8(s), px(out, 2, ox, oy), "output (" + ox + ", " + oy + ")");
            }
        }
        assertEquals(31, tmp[0][0], "hand check: (10*.8671875 + 50*.8671875 + 90*.2265625 - 200*.0703125) / 1.890625");
    }

    /** Round half up and clamp; refuses values at a rounding tie, where PIL's 22-bit fixed point could go either way. */
    private static int round8(double s) {
        double frac = s - Math.floor(s);
        assertTrue(Math.abs(frac - 0.5) > 1e-3, "test image must avoid rounding ties, got " + s);
        return (int) Math.max(0, Math.min(255, Math.floor(s + 0.5)));
    }

    @Test
    void bicubicOvershootAtAStepIsClampedNotWrapped() {
        int w = 8;
        int nw = 32;
        byte[] step = grey(w, 2, (x, y) -> x < 4 ? 0 : 255);
        byte[] out = ImagePreprocessor.resize(step, w, 2, nw, 2, Resample.BICUBIC);
        int undershoot = 0;
        int overshoot = 0;
        for (int o = 0; o < nw; o++) {
            // the unclamped bicubic value at this output pixel (scale < 1: kernel not stretched)
            double centre = (o + 0.5) * w / nw;
            double s = 0;
            double sum = 0;
            for (int i = Math.max(0, (int) (centre - 2 + 0.5)); i < Math.min(w, (int) (centre + 2 + 0.5)); i++) {
                double k = Resample.BICUBIC.kernel(i - centre + 0.5);
                s += (i < 4 ? 0 : 255) * k;
                sum += k;
            }
            s /= sum;
            int got = px(out, nw, o, 0);
            if (s < -0.5) {
                undershoot++;
                assertEquals(0, got, "undershoot clamps to 0 at " + o);
            } else if (s > 255.5) {
                overshoot++;
                assertEquals(255, got, "overshoot clamps to 255 at " + o);
            } else {
                assertEquals(s, got, 0.5 + 1e-6, "in-range value at " + o);
            }
        }
        assertTrue(undershoot > 0 && overshoot > 0, "bicubic rings on both sides of a step");
        byte[] checker = grey(4, 4, (x, y) -> ((x + y) & 1) == 0 ? 255 : 0);
        byte[] up = ImagePreprocessor.resize(checker, 4, 4, 16, 16, Resample.BICUBIC);
        int min = 255;
        int max = 0;
        for (int i = 0; i < up.length; i++) {
            min = Math.min(min, up[i] & 0xff);
            max = Math.max(max, up[i] & 0xff);
        }
        assertEquals(0, min);
        assertEquals(255, max);
        assertEquals(255, px(up, 16, 1, 1), "a checker square's centre saturates instead of wrapping around");
    }

    @Test
    void nearestPicksPilsSourcePixels() {
        byte[] img = grey(4, 4, (x, y) -> 10 * y + x);
        byte[] down = ImagePreprocessor.resize(img, 4, 4, 2, 2, Resample.NEAREST);
        assertEquals(11, px(down, 2, 0, 0));
        assertEquals(33, px(down, 2, 1, 1));
        byte[] up = ImagePreprocessor.resize(img, 4, 4, 8, 8, Resample.NEAREST);
        assertEquals(0, px(up, 8, 1, 1));
        assertEquals(21, px(up, 8, 3, 5));
    }

    @Test
    void resampleComesFromThePreprocessorConfig() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode n = json.createObjectNode();
        n.put("image_processor_type", "SiglipImageProcessor");
        assertEquals(Resample.BILINEAR, Resample.fromConfig(Optional.of(new ModelConfig(n, "t"))));
        n.put("resample", 3);
        assertEquals(Resample.BICUBIC, Resample.fromConfig(Optional.of(new ModelConfig(n, "t"))));
        n.put("resample", 0);
        assertEquals(Resample.NEAREST, Resample.fromConfig(Optional.of(new ModelConfig(n, "t"))));
        assertEquals(Resample.BICUBIC, Resample.fromConfig(Optional.empty()));
        n.put("resample", 9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Resample.fromConfig(Optional.of(new ModelConfig(n, "t"))));
        assertTrue(e.getMessage().contains("9"));
    }

    @Test
    void idefics3SplitsLikeTheHfProcessorResizingTwice() {
        ImagePreprocessor p = new ImagePreprocessor(new float[] {0, 0, 0}, new float[] {1, 1, 1}, Resample.LANCZOS);
        byte[] img = new byte[48 * 40 * 3];
        new java.util.Random(4).nextBytes(img);
        // longest edge 64: 48x40 -> 64 x int(64 / 1.2) = 53, rounded up to even 54; then to multiples of 32: 64x64
        ImagePreprocessor.Tiles t = p.split(img, 48, 40, 64, 32);
        assertEquals(2, t.rows());
        assertEquals(2, t.cols());
        assertTrue(t.hasGlobal());
        assertEquals(5, t.tiles().size());
        byte[] step2 = ImagePreprocessor.resize(ImagePreprocessor.resize(img, 48, 40, 64, 54, Resample.LANCZOS), 64, 54, 64, 64,
                Resample.LANCZOS);
        float[] bottomLeft = t.tiles().get(2);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                assertEquals(px(step2, 64, x, 32 + y) / 255.0, bottomLeft[y * 32 + x], 1e-6, "tile (1, 0) pixel " + x + "," + y);
            }
        }
        byte[] global = ImagePreprocessor.resize(step2, 64, 64, 32, 32, Resample.LANCZOS);
        assertEquals(px(global, 32, 5, 7) / 255.0, t.tiles().get(4)[7 * 32 + 5], 1e-6, "the global view comes from the step-2 image");
        ImagePreprocessor.Tiles wide = p.split(new byte[80 * 40 * 3], 80, 40, 64, 32);
        assertEquals(1, wide.rows());
        assertEquals(2, wide.cols());
        ImagePreprocessor.Tiles one = p.split(new byte[20 * 20 * 3], 20, 20, 32, 32);
        assertEquals(1, one.tiles().size());
        assertTrue(!one.hasGlobal());
    }

    @Test
    void clipResizesTheShortEdgeCropsTheCentreAndNormalises() {
        ImagePreprocessor p = new ImagePreprocessor(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});
        // left half dark, right half bright; the 16x16 centre crop of the 32x16 resize holds both halves
        byte[] img = grey(40, 20, (x, y) -> x < 20 ? 0 : 255);
        float[] chw = p.clip(img, 40, 20, 16);
        assertEquals(3 * 16 * 16, chw.length);
        assertEquals(-1f, chw[8 * 16], 1e-6);
        assertEquals(1f, chw[8 * 16 + 15], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> p.clip(new byte[5], 2, 2, 16));
    }
}
