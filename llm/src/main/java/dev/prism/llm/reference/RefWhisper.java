package dev.prism.llm.reference;

import dev.prism.llm.whisper.WhisperSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reference Whisper forward pass (loops, no cache): encoder, decoder logits after a token sequence, and
 * the decoder's cross-attention scores (for word alignment).
 */
public final class RefWhisper {
    private RefWhisper() {
    }

    /** Encoder output [(frames/2) * d]; w looks up full checkpoint names. */
    public static float[] encode(WhisperSpec s, Function<String, float[]> w, float[] mel, int frames) {
        int d = s.dModel();
        float[] c1 = RefMath.act(conv1d(mel, s.mels(), frames, w.apply("model.encoder.conv1.weight"),
                w.apply("model.encoder.conv1.bias"), d, 1), "gelu");
        int t = (frames + 1) / 2;
        float[] c2 = RefMath.act(conv1d(c1, d, frames, w.apply("model.encoder.conv2.weight"),
                w.apply("model.encoder.conv2.bias"), d, 2), "gelu");
        float[] pos = w.apply("model.encoder.embed_positions.weight");
        float[] x = new float[t * d];
        for (int i = 0; i < t; i++) {
            for (int c = 0; c < d; c++) {
                x[i * d + c] = c2[c * t + i] + pos[i * d + c];
            }
        }
        for (int l = 0; l < s.encoderLayers(); l++) {
            String p = "model.encoder.layers." + l + ".";
            x = layer(s, n -> w.apply(p + n), x, t, s.encoderHeads(), s.encoderFfn(), false, null, 0, null);
        }
        return RefMath.layerNorm(x, t, d, w.apply("model.encoder.layer_norm.weight"), w.apply("model.encoder.layer_norm.bias"), 1e-5);
    }

    /** Logits [V] after the whole token sequence ids (positions 0..n-1). */
    public static float[] logits(WhisperSpec s, Function<String, float[]> w, float[] enc, long[] ids) {
        return logits(s, w, enc, ids, null);
    }

    /**
     * Each decoder layer's scaled cross-attention scores q k^T / sqrt(hd), [heads, ids.length, S], for the
     * whole token sequence.
     */
    public static List<float[]> crossScores(WhisperSpec s, Function<String, float[]> w, float[] enc, long[] ids) {
        List<float[]> out = new ArrayList<>();
        logits(s, w, enc, ids, out);
        return out;
    }

    private static float[] logits(WhisperSpec s, Function<String, float[]> w, float[] enc, long[] ids, List<float[]> scores) {
        int d = s.dModel();
        int n = ids.length;
        float[] emb = w.apply("model.decoder.embed_tokens.weight");
        float[] pos = w.apply("model.decoder.embed_positions.weight");
        float[] x = new float[n * d];
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < d; c++) {
                x[t * d + c] = emb[(int) ids[t] * d + c] + pos[t * d + c];
            }
        }
        for (int l = 0; l < s.decoderLayers(); l++) {
            String p = "model.decoder.layers." + l + ".";
            x = layer(s, k -> w.apply(p + k), x, n, s.decoderHeads(), s.decoderFfn(), true, enc, enc.length / d, scores);
        }
        float[] last = new float[d];
        System.arraycopy(x, x.length - d, last, 0, d);
        float[] nrm = RefMath.layerNorm(last, 1, d, w.apply("model.decoder.layer_norm.weight"), w.apply("model.decoder.layer_norm.bias"), 1e-5);
        return RefMath.linear(nrm, 1, d, emb, s.vocab(), null);
    }

    private static float[] layer(WhisperSpec s, Function<String, float[]> w, float[] x, int t, int h, int ffn,
                                 boolean decoder, float[] enc, int encLen, List<float[]> scores) {
        int d = s.dModel();
        float[] n = RefMath.layerNorm(x, t, d, w.apply("self_attn_layer_norm.weight"), w.apply("self_attn_layer_norm.bias"), 1e-5);
        float[] q = RefMath.linear(n, t, d, w.apply("self_attn.q_proj.weight"), d, w.apply("self_attn.q_proj.bias"));
        float[] k = RefMath.linear(n, t, d, w.apply("self_attn.k_proj.weight"), d, null);
        float[] v = RefMath.linear(n, t, d, w.apply("self_attn.v_proj.weight"), d, w.apply("self_attn.v_proj.bias"));
        float[] a = attention(q, k, v, t, t, h, d / h, decoder);
        float[] x1 = x.clone();
        RefMath.addInPlace(x1, RefMath.linear(a, t, d, w.apply("self_attn.out_proj.weight"), d, w.apply("self_attn.out_proj.bias")));
        if (decoder) {
            float[] n2 = RefMath.layerNorm(x1, t, d, w.apply("encoder_attn_layer_norm.weight"), w.apply("encoder_attn_layer_norm.bias"), 1e-5);
            float[] q2 = RefMath.linear(n2, t, d, w.apply("encoder_attn.q_proj.weight"), d, w.apply("encoder_attn.q_proj.bias"));
            float[] k2 = RefMath.linear(enc, encLen, d, w.apply("encoder_attn.k_proj.weight"), d, null);
            float[] v2 = RefMath.linear(enc, encLen, d, w.apply("encoder_attn.v_proj.weight"), d, w.apply("encoder_attn.v_proj.bias"));
            float[] a2 = attention(q2, k2, v2, t, encLen, h, d / h, false);
            if (scores != null) {
                scores.add(scaledScores(q2, k2, t, encLen, h, d / h));
            }
            RefMath.addInPlace(x1, RefMath.linear(a2, t, d, w.apply("encoder_attn.out_proj.weight"), d, w.apply("encoder_attn.out_proj.bias")));
        }
        float[] n3 = RefMath.layerNorm(x1, t, d, w.apply("final_layer_norm.weight"), w.apply("final_layer_norm.bias"), 1e-5);
        float[] f = RefMath.act(RefMath.linear(n3, t, d, w.apply("fc1.weight"), ffn, w.apply("fc1.bias")), "gelu");
        RefMath.addInPlace(x1, RefMath.linear(f, t, ffn, w.apply("fc2.weight"), d, w.apply("fc2.bias")));
        return x1;
    }

    private static float[] attention(float[] q, float[] k, float[] v, int tq, int tk, int h, int hd, boolean causal) {
        int d = h * hd;
        float[] out = new float[tq * d];
        for (int head = 0; head < h; head++) {
            for (int i = 0; i < tq; i++) {
                int n = causal ? i + 1 : tk;
                double[] sc = new double[n];
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int e = 0; e < hd; e++) {
                        acc += q[i * d + head * hd + e] * k[j * d + head * hd + e];
                    }
                    sc[j] = acc / Math.sqrt(hd);
                }
                RefMath.softmaxInPlace(sc);
                for (int j = 0; j < n; j++) {
                    for (int e = 0; e < hd; e++) {
                        out[i * d + head * hd + e] += (float) (sc[j] * v[j * d + head * hd + e]);
                    }
                }
            }
        }
        return out;
    }

    private static float[] scaledScores(float[] q, float[] k, int tq, int tk, int h, int hd) {
        int d = h * hd;
        float[] out = new float[h * tq * tk];
        for (int head = 0; head < h; head++) {
            for (int i = 0; i < tq; i++) {
                for (int j = 0; j < tk; j++) {
                    double acc = 0;
                    for (int e = 0; e < hd; e++) {
                        acc += q[i * d + head * hd + e] * k[j * d + head * hd + e];
                    }
                    out[(head * tq + i) * tk + j] = (float) (acc / Math.sqrt(hd));
                }
            }
        }
        return out;
    }

    /** Conv1d, kernel 3, padding 1; input [cin, len] -> [cout, ceil(len/stride)]. */
    private static float[] conv1d(float[] x, int cin, int len, float[] w, float[] b, int cout, int stride) {
        int outLen = (len + 2 - 3) / stride + 1;
        float[] y = new float[cout * outLen];
        for (int o = 0; o < cout; o++) {
            for (int t = 0; t < outLen; t++) {
                double acc = b[o];
                for (int c = 0; c < cin; c++) {
                    for (int k = 0; k < 3; k++) {
                        int src = t * stride + k - 1;
                        if (src >= 0 && src < len) {
                            acc += (double) w[(o * cin + c) * 3 + k] * x[c * len + src];
                        }
                    }
                }
                y[o * outLen + t] = (float) acc;
            }
        }
        return y;
    }
}
