package dev.prism.llm.reference;

import dev.prism.llm.model.DecoderSpec;
import java.util.function.Function;

/**
 * Reference Llama/Qwen2 decoder layer with an explicit ragged per-KV-head cache: pastK[h] holds any
 * number of entries (dropped ones are simply absent). New token t attends its head's cached entries
 * and new tokens 0..t.
 */
public final class RefDecoderLayer {
    private RefDecoderLayer() {
    }

    /** y [T*D]; kNew/vNew [kvh][T*hd]; probs [H][R][len_h + T]. */
    public record Result(float[] y, float[][] kNew, float[][] vNew, float[][][] probs) {
    }

    /**
     * @param w        weight lookup by layer-relative name ("self_attn.q_proj.weight")
     * @param cos      [T*hd], sin likewise (from RopeScaling.cosSin)
     * @param pastK    [kvh][len_h][hd]
     */
    public static Result forward(DecoderSpec s, Function<String, float[]> w, float[] x, int tokens, float[] cos,
                                 float[] sin, float[][][] pastK, float[][][] pastV, int[] probeRows) {
        int d = s.hidden();
        int hd = s.headDim();
        int h = s.heads();
        int kvh = s.kvHeads();
        float[] n1 = RefMath.rmsNorm(x, tokens, d, w.apply("input_layernorm.weight"), s.rmsEps());
        float[] q = RefMath.linear(n1, tokens, d, w.apply("self_attn.q_proj.weight"), h * hd, s.qkvBias() ? w.apply("self_attn.q_proj.bias") : null);
        float[] k = RefMath.linear(n1, tokens, d, w.apply("self_attn.k_proj.weight"), kvh * hd, s.qkvBias() ? w.apply("self_attn.k_proj.bias") : null);
        float[] v = RefMath.linear(n1, tokens, d, w.apply("self_attn.v_proj.weight"), kvh * hd, s.qkvBias() ? w.apply("self_attn.v_proj.bias") : null);
        float[][] kNew = new float[kvh][tokens * hd];
        float[][] vNew = new float[kvh][tokens * hd];
        for (int g = 0; g < kvh; g++) {
            for (int t = 0; t < tokens; t++) {
                float[] kr = rope(k, t * kvh * hd + g * hd, hd, cos, sin, t);
                System.arraycopy(kr, 0, kNew[g], t * hd, hd);
                System.arraycopy(v, t * kvh * hd + g * hd, vNew[g], t * hd, hd);
            }
        }
        float[] ctx = new float[tokens * h * hd];
        float[][][] probs = new float[h][probeRows == null ? 0 : probeRows.length][];
        double scale = 1 / Math.sqrt(hd);
        for (int head = 0; head < h; head++) {
            int g = head / s.groups();
            int past = pastK[g].length;
            for (int t = 0; t < tokens; t++) {
                float[] qr = rope(q, t * h * hd + head * hd, hd, cos, sin, t);
                double[] sc = new double[past + t + 1];
                for (int j = 0; j < past + t + 1; j++) {
                    double acc = 0;
                    for (int i = 0; i < hd; i++) {
                        float kv = j < past ? pastK[g][j][i] : kNew[g][(j - past) * hd + i];
                        acc += qr[i] * kv;
                    }
                    sc[j] = acc * scale;
                }
                RefMath.softmaxInPlace(sc);
                for (int j = 0; j < sc.length; j++) {
                    for (int i = 0; i < hd; i++) {
                        float vv = j < past ? pastV[g][j][i] : vNew[g][(j - past) * hd + i];
                        ctx[t * h * hd + head * hd + i] += (float) (sc[j] * vv);
                    }
                }
                if (probeRows != null) {
                    for (int r = 0; r < probeRows.length; r++) {
                        if (probeRows[r] == t) {
                            probs[head][r] = new float[past + tokens];
                            for (int j = 0; j < sc.length; j++) {
                                probs[head][r][j] = (float) sc[j];
                            }
                        }
                    }
                }
            }
        }
        float[] x1 = x.clone();
        RefMath.addInPlace(x1, RefMath.linear(ctx, tokens, h * hd, w.apply("self_attn.o_proj.weight"), d, null));
        float[] n2 = RefMath.rmsNorm(x1, tokens, d, w.apply("post_attention_layernorm.weight"), s.rmsEps());
        int m = s.intermediate();
        float[] gate = RefMath.act(RefMath.linear(n2, tokens, d, w.apply("mlp.gate_proj.weight"), m, null), "silu");
        float[] up = RefMath.linear(n2, tokens, d, w.apply("mlp.up_proj.weight"), m, null);
        for (int i = 0; i < gate.length; i++) {
            gate[i] *= up[i];
        }
        RefMath.addInPlace(x1, RefMath.linear(gate, tokens, m, w.apply("mlp.down_proj.weight"), d, null));
        return new Result(x1, kNew, vNew, probs);
    }

    private static float[] rope(float[] src, int off, int hd, float[] cos, float[] sin, int t) {
        float[] out = new float[hd];
        int half = hd / 2;
        for (int i = 0; i < hd; i++) {
            float rot = i < half ? -src[off + i + half] : src[off + i - half];
            out[i] = src[off + i] * cos[t * hd + i] + rot * sin[t * hd + i];
        }
        return out;
    }

    /** Final norm + LM head for one row. */
    public static float[] logits(DecoderSpec s, float[] norm, float[] head, float[] h) {
        float[] n = RefMath.rmsNorm(h, 1, s.hidden(), norm, s.rmsEps());
        return RefMath.linear(n, 1, s.hidden(), head, s.vocab(), null);
    }
}
