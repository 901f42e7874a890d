package dev.prism.llm.model;

import dev.prism.llm.checkpoint.CheckpointException;
import dev.prism.llm.checkpoint.ModelConfig;

/**
 * A SigLIP / CLIP vision tower as config.json describes it. CLIP has a CLS token and a pre-LayerNorm;
 * SigLIP has neither but a biased patch convolution.
 */
public record VisionSpec(String modelType, int hidden, int heads, int intermediate, int layers, int imageSize,
                         int patchSize, int channels, double eps, String act, String weightPrefix) {

    public static VisionSpec from(ModelConfig c, String weightPrefix) {
        String type = c.getString("model_type", "clip_vision_model");
        boolean clip = type.startsWith("clip");
        if (!clip && !type.startsWith("siglip") && !type.startsWith("idefics3") && !type.startsWith("smolvlm")) {
            throw new CheckpointException(c.where() + ": vision model_type '" + type
                    + "' is not supported (supported: clip_vision_model, siglip_vision_model, idefics3_vision)");
        }
        return new VisionSpec(clip ? "clip" : "siglip", c.requireInt("hidden_size"), c.requireInt("num_attention_heads"),
                c.requireInt("intermediate_size"), c.requireInt("num_hidden_layers"), c.requireInt("image_size"),
                c.requireInt("patch_size"), c.getInt("num_channels", 3), c.getDouble("layer_norm_eps", 1e-5),
                c.getString("hidden_act", clip ? "quick_gelu" : "gelu_pytorch_tanh"), weightPrefix);
    }

    public boolean hasCls() {
        return modelType.equals("clip");
    }

    public int grid() {
        return imageSize / patchSize;
    }

    public int patches() {
        return grid() * grid();
    }

    public int tokens() {
        return patches() + (hasCls() ? 1 : 0);
    }

    public int headDim() {
        return hidden / heads;
    }

    public String layerPrefix(int layer) {
        return weightPrefix + "encoder.layers." + layer + ".";
    }
}
