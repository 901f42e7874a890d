package dev.prism.llm.reference;

import dev.prism.llm.model.VisionSpec;
import java.util.function.Function;

/** Reference SigLIP/CLIP embeddings, encoder layer and projectors. */
public final class RefVision {
    private RefVision() {
    }

    /** y [N*D], row0 [H][N] (first query's attention), mean [N] (attention received, mean over heads and queries). */
    public record LayerResult(float[] y, float[][] row0, float[] mean) {
    }

    public static LayerResult layer(VisionSpec s, Function<String, float[]> w, float[] x, int n) {
        int d = s.hidden();
        int h = s.heads();
        int hd = s.headDim();
        float[] n1 = RefMath.layerNorm(x, n, d, w.apply("layer_norm1.weight"), w.apply("layer_norm1.bias"), s.eps());
        float[] q = RefMath.linear(n1, n, d, w.apply("self_attn.q_proj.weight"), d, w.apply("self_attn.q_proj.bias"));
        float[] k = RefMath.linear(n1, n, d, w.apply("self_attn.k_proj.weight"), d, w.apply("self_attn.k_proj.bias"));
        float[] v = RefMath.linear(n1, n, d, w.apply("self_attn.v_proj.weight"), d, w.apply("self_attn.v_proj.bias"));
        float[] ctx = new float[n * d];
        float[][] row0 = new float[h][n];
        float[] mean = new float[n];
        double scale = 1 / Math.sqrt(hd);
        for (int head = 0; head < h; head++) {
            for (int t = 0; t < n; t++) {
                double[] sc = new double[n];
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int i = 0; i < hd; i++) {
                        acc += q[t * d + head * hd + i] * k[j * d + head * hd + i];
                    }
                    sc[j] = acc * scale;
                }
                RefMath.softmaxInPlace(sc);
                for (int j = 0; j < n; j++) {
                    mean[j] += (float) (sc[j] / (h * n));
                    if (t == 0) {
                        row0[head][j] = (float) sc[j];
                    }
                    for (int i = 0; i < hd; i++) {
                        ctx[t * d + head * hd + i] += (float) (sc[j] * v[j * d + head * hd + i]);
                    }
                }
            }
        }
        float[] x1 = x.clone();
        RefMath.addInPlace(x1, RefMath.linear(ctx, n, d, w.apply("self_attn.out_proj.weight"), d, w.apply("self_attn.out_proj.bias")));
        float[] n2 = RefMath.layerNorm(x1, n, d, w.apply("layer_norm2.weight"), w.apply("layer_norm2.bias"), s.eps());
        float[] f1 = RefMath.act(RefMath.linear(n2, n, d, w.apply("mlp.fc1.weight"), s.intermediate(), w.apply("mlp.fc1.bias")), s.act());
        RefMath.addInPlace(x1, RefMath.linear(f1, n, s.intermediate(), w.apply("mlp.fc2.weight"), d, w.apply("mlp.fc2.bias")));
        return new LayerResult(x1, row0, mean);
    }

    /** Patch conv + (CLS) + position embedding (+ CLIP pre-LayerNorm); pixels [C*S*S]. Returns [tokens*D]. */
    public static float[] embed(VisionSpec s, Function<String, float[]> w, float[] pixels) {
        int d = s.hidden();
        int p = s.patchSize();
        int c = s.channels();
        int size = s.imageSize();
        int grid = s.grid();
        float[] conv = w.apply("embeddings.patch_embedding.weight");
        float[] bias = s.hasCls() ? null : w.apply("embeddings.patch_embedding.bias");
        int off = s.hasCls() ? 1 : 0;
        float[] out = new float[s.tokens() * d];
        if (s.hasCls()) {
            System.arraycopy(w.apply("embeddings.class_embedding"), 0, out, 0, d);
        }
        for (int gy = 0; gy < grid; gy++) {
            for (int gx = 0; gx < grid; gx++) {
                int tok = off + gy * grid + gx;
                for (int o = 0; o < d; o++) {
                    double acc = bias == null ? 0 : bias[o];
                    for (int ch = 0; ch < c; ch++) {
                        for (int ky = 0; ky < p; ky++) {
                            for (int kx = 0; kx < p; kx++) {
                                acc += (double) conv[((o * c + ch) * p + ky) * p + kx]
                                        * pixels[(ch * size + gy * p + ky) * size + gx * p + kx];
                            }
                        }
                    }
                    out[tok * d + o] = (float) acc;
                }
            }
        }
        RefMath.addInPlace(out, w.apply("embeddings.position_embedding.weight"));
        if (s.hasCls()) {
            out = RefMath.layerNorm(out, s.tokens(), d, w.apply("pre_layrnorm.weight"), w.apply("pre_layrnorm.bias"), s.eps());
        }
        return out;
    }

    public static float[] llavaProjector(Function<String, float[]> w, float[] x, int n, int dv, int dt, String act) {
        float[] h = RefMath.act(RefMath.linear(x, n, dv, w.apply("linear_1.weight"), dt, w.apply("linear_1.bias")), act);
        return RefMath.linear(h, n, dt, w.apply("linear_2.weight"), dt, w.apply("linear_2.bias"));
    }

    /** Idefics3 pixel shuffle by explicit index arithmetic, then the bias-free projection. */
    public static float[] pixelShuffleProjector(Function<String, float[]> w, float[] x, int n, int dv, int scale, int dt) {
        int side = (int) Math.round(Math.sqrt(n));
        int outSide = side / scale;
        int outDim = dv * scale * scale;
        float[] shuffled = new float[n * dv];
        // output token (i, j), channel block (a, b): input row i*scale + a, column j*scale + b
        for (int i = 0; i < outSide; i++) {
            for (int j = 0; j < outSide; j++) {
                for (int a = 0; a < scale; a++) {
                    for (int b = 0; b < scale; b++) {
                        int src = (i * scale + a) * side + (j * scale + b);
                        int dst = (i * outSide + j) * outDim + (a * scale + b) * dv;
                        System.arraycopy(x, src * dv, shuffled, dst, dv);
                    }
                }
            }
        }
        return RefMath.linear(shuffled, n / (scale * scale), outDim, w.apply("modality_projection.proj.weight"), dt, null);
    }
}
