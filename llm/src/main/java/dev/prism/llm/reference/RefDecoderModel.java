package dev.prism.llm.reference;

import dev.prism.llm.model.DecoderSpec;
import java.util.function.Function;

/** Reference full decoder without any cache: every call recomputes the whole sequence (slow, obviously right). */
public final class RefDecoderModel {
    private RefDecoderModel() {
    }

    /** Logits [vocab] after the last token; w looks tensors up by full checkpoint name. */
    public static float[] lastLogits(DecoderSpec s, Function<String, float[]> w, long[] ids) {
        int d = s.hidden();
        float[] emb = w.apply(s.weightPrefix() + "embed_tokens.weight");
        float[] x = new float[ids.length * d];
        for (int t = 0; t < ids.length; t++) {
            System.arraycopy(emb, (int) ids[t] * d, x, t * d, d);
        }
        long[] pos = new long[ids.length];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = i;
        }
        float[][] cs = s.rope().cosSin(pos, ids.length);
        float[][][] none = new float[s.kvHeads()][0][];
        for (int l = 0; l < s.layers(); l++) {
            String p = s.layerPrefix(l);
            x = RefDecoderLayer.forward(s, n -> w.apply(p + n), x, ids.length, cs[0], cs[1], none, none, null).y();
        }
        float[] last = new float[d];
        System.arraycopy(x, x.length - d, last, 0, d);
        return RefDecoderLayer.logits(s, w.apply(s.weightPrefix() + "norm.weight"), w.apply(s.lmHeadName()), last);
    }
}
