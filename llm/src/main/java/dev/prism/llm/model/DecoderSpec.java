package dev.prism.llm.model;

import dev.prism.llm.checkpoint.CheckpointException;
import dev.prism.llm.checkpoint.ModelConfig;

/**
 * A Llama / Qwen2 family decoder as config.json describes it.
 *
 * @param qkvBias Qwen2 has biases on q/k/v projections, Llama does not
 * @param weightPrefix prefix of the decoder's tensors ("model." for a plain LM, "model.text_model." or
 *                     "language_model.model." inside VLMs)
 * @param lmHeadName tensor name of the LM head (the embedding itself when tied)
 */
public record DecoderSpec(String modelType, int hidden, int heads, int kvHeads, int headDim, int intermediate,
                          int layers, int vocab, double rmsEps, boolean qkvBias, RopeScaling rope,
                          String weightPrefix, String lmHeadName) {

    public DecoderSpec {
        if (heads % kvHeads != 0) {
            throw new CheckpointException("num_attention_heads " + heads + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        if (headDim % 2 != 0) {
            throw new CheckpointException("head_dim " + headDim + " must be even for rotary embeddings");
        }
    }

    public static DecoderSpec from(ModelConfig c, String weightPrefix, String lmHeadName) {
        String type = c.getString("model_type", "llama");
        if (!type.equals("llama") && !type.equals("qwen2") && !type.equals("mistral")) {
            throw new CheckpointException(c.where() + ": decoder model_type '" + type
                    + "' is not supported (supported: llama, qwen2, mistral)");
        }
        int hidden = c.requireInt("hidden_size");
        int heads = c.requireInt("num_attention_heads");
        int kv = c.getInt("num_key_value_heads", heads);
        int headDim = c.getInt("head_dim", hidden / heads);
        boolean bias = type.equals("qwen2") || c.getBool("attention_bias", false);
        String head = c.getBool("tie_word_embeddings", false) ? weightPrefix + "embed_tokens.weight" : lmHeadName;
        return new DecoderSpec(type, hidden, heads, kv, headDim, c.requireInt("intermediate_size"),
                c.requireInt("num_hidden_layers"), c.requireInt("vocab_size"), c.getDouble("rms_norm_eps", 1e-6),
                bias, RopeScaling.from(c, headDim), weightPrefix, head);
    }

    public int groups() {
        return heads / kvHeads;
    }

    public String layerPrefix(int layer) {
        return weightPrefix + "layers." + layer + ".";
    }

    /** Parameters of the decoder (embedding, layers, norm, head when untied). */
    public long parameterCount() {
        long attn = (long) hidden * heads * headDim * 2 + (long) hidden * kvHeads * headDim * 2;
        long mlp = 3L * hidden * intermediate;
        long perLayer = attn + mlp + 2L * hidden + (qkvBias ? (long) (heads + 2 * kvHeads) * headDim : 0);
        long head = lmHeadName.endsWith("embed_tokens.weight") ? 0 : (long) vocab * hidden;
        return (long) vocab * hidden + layers * perLayer + hidden + head;
    }

    /** FLOPs (2 x multiply-adds) of the projections and MLP of one layer for one token. */
    public double projectionFlopsPerToken() {
        return 2.0 * hidden * (heads * headDim * 2 + kvHeads * headDim * 2) + 2.0 * 3 * hidden * intermediate;
    }

    /** FLOPs estimate of one layer's prefill over n tokens (causal attention: n(n+1)/2 query-key pairs). */
    public double layerPrefillFlops(int n) {
        return n * projectionFlopsPerToken() + 4.0 * heads * headDim * n * (n + 1) / 2.0;
    }
}
