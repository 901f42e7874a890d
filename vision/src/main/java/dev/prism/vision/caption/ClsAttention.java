package dev.prism.vision.caption;

import dev.prism.llm.checkpoint.Weights;
import dev.prism.llm.model.VisionSpec;
import dev.prism.llm.reference.RefMath;

/**
 * The CLS query's attention over the patch keys of one CLIP encoder layer, computed in Java from the layer's input
 * and its weights (ALGORITHMS.md 1.1 A2 step 1: softmax over all tokens, then the patch columns {@code attn[:, :, 0, 1:]}).
 * LLaVA's features stop before the tower's last layer (vision_feature_layer -2), so the runtime never runs that layer;
 * only its LayerNorm 1 and the q/k projections are needed here.
 */
final class ClsAttention {
    private final VisionSpec spec;
    private final float[] lnW;
    private final float[] lnB;
    private final float[] qW;
    private final float[] qB;
    private final float[] kW;
    private final float[] kB;

    ClsAttention(VisionSpec spec, Weights w, int layer) {
        this.spec = spec;
        String p = spec.layerPrefix(layer);
        lnW = w.get(p + "layer_norm1.weight").toFloatArray();
        lnB = w.get(p + "layer_norm1.bias").toFloatArray();
        qW = w.get(p + "self_attn.q_proj.weight").toFloatArray();
        qB = w.get(p + "self_attn.q_proj.bias").toFloatArray();
        kW = w.get(p + "self_attn.k_proj.weight").toFloatArray();
        kB = w.get(p + "self_attn.k_proj.bias").toFloatArray();
    }

    /**
     * Only the CLS row is needed, so the keys are never formed: per head h, q_h . (W_k x_j + b_k) = x_j . (W_k,h^T q_h)
     * + b_k,h . q_h, which costs D x D per frame for the folded query plus N x D per head for the scores.
     *
     * @param tokens the layer's input [n * hidden], CLS first
     * @return [heads][n - 1] CLS-row probabilities at the patch keys
     */
    float[][] clsToPatches(float[] tokens, int n) {
        int d = spec.hidden();
        int heads = spec.heads();
        int hd = spec.headDim();
        float[] ln = RefMath.layerNorm(tokens, n, d, lnW, lnB, spec.eps());
        float[] q = RefMath.linear(java.util.Arrays.copyOf(ln, d), 1, d, qW, d, qB);
        double scale = 1 / Math.sqrt(hd);
        float[][] out = new float[heads][n - 1];
        for (int h = 0; h < heads; h++) {
            double[] u = new double[d];
            double c = 0;
            for (int o = h * hd; o < (h + 1) * hd; o++) {
                double qo = q[o];
                c += qo * kB[o];
                for (int i = 0; i < d; i++) {
                    u[i] += qo * kW[o * d + i];
                }
            }
            double[] s = new double[n];
            for (int j = 0; j < n; j++) {
                double dot = c;
                for (int i = 0; i < d; i++) {
                    dot += ln[j * d + i] * u[i];
                }
                s[j] = dot * scale;
            }
            RefMath.softmaxInPlace(s);
            for (int j = 1; j < n; j++) {
                out[h][j - 1] = (float) s[j];
            }
        }
        return out;
    }
}
