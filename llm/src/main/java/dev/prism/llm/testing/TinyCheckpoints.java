package dev.prism.llm.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prism.llm.checkpoint.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generated checkpoints in the Hugging Face layout (config.json with {@code prism_demo: true},
 * safetensors, tokenizer.json, generation_config.json, preprocessor_config.json) for every supported
 * architecture: Llama/Qwen2 decoders, CLIP/SigLIP towers, LLaVA-1.5 and Idefics3/SmolVLM. Same seed,
 * same bytes. Anything produced with them is demo output.
 */
public final class TinyCheckpoints {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Decoder dimensions; modelType "llama" or "qwen2"; ropeScaling is a config.json rope_scaling object or null. */
    public record DecoderDims(String modelType, int hidden, int heads, int kvHeads, int intermediate, int layers,
                              int vocab, boolean tied, ObjectNode ropeScaling) {
        public static DecoderDims tiny(String modelType) {
            return new DecoderDims(modelType, 32, 4, 2, 64, 2, 128, false, null);
        }

        public DecoderDims withRopeScaling(ObjectNode rs) {
            return new DecoderDims(modelType, hidden, heads, kvHeads, intermediate, layers, vocab, tied, rs);
        }

        public DecoderDims withLayers(int n) {
            return new DecoderDims(modelType, hidden, heads, kvHeads, intermediate, n, vocab, tied, ropeScaling);
        }
    }

    /** Vision tower dimensions; modelType "clip" or "siglip". */
    public record VisionDims(String modelType, int hidden, int heads, int intermediate, int layers, int imageSize, int patchSize) {
        public static VisionDims tiny(String modelType) {
            return new VisionDims(modelType, 24, 2, 48, 2, 32, 8);
        }
    }

    private TinyCheckpoints() {
    }

    public static ObjectNode ropeScaling(String type, double factor) {
        ObjectNode n = JSON.createObjectNode();
        n.put("rope_type", type);
        n.put("factor", factor);
        if (type.equals("llama3")) {
            n.put("low_freq_factor", 1.0);
            n.put("high_freq_factor", 4.0);
            n.put("original_max_position_embeddings", 16);
        }
        return n;
    }

    /** A plain causal LM ("model.*", "lm_head.weight"). shardBytes splits the weights into shards. */
    public static Path writeDecoder(Path dir, DecoderDims d, long seed, DType dtype, long shardBytes) throws IOException {
        Files.createDirectories(dir);
        ObjectNode cfg = textConfig(d);
        cfg.putArray("architectures").add(d.modelType().equals("qwen2") ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
        cfg.put("prism_demo", true);
        write(dir.resolve("config.json"), cfg);
        ShardedWeightWriter w = new ShardedWeightWriter(dir, dtype, shardBytes, seed);
        decoderWeights(w, d, "model.", "lm_head.weight");
        w.finish();
        textFiles(dir, d);
        return dir;
    }

    /** LLaVA-1.5 layout: CLIP tower, two-layer GELU projector, Llama decoder, {@code <image>} placeholder. */
    public static Path writeLlava(Path dir, VisionDims v, DecoderDims d, long seed, DType dtype, long shardBytes) throws IOException {
        Files.createDirectories(dir);
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("model_type", "llava");
        cfg.putArray("architectures").add("LlavaForConditionalGeneration");
        cfg.put("image_token_index", 3);
        cfg.put("vision_feature_layer", -2);
        cfg.put("vision_feature_select_strategy", "default");
        cfg.put("projector_hidden_act", "gelu");
        cfg.set("vision_config", visionConfig(v));
        cfg.set("text_config", textConfig(d));
        cfg.put("prism_demo", true);
        write(dir.resolve("config.json"), cfg);
        ShardedWeightWriter w = new ShardedWeightWriter(dir, dtype, shardBytes, seed);
        visionWeights(w, v, "vision_tower.vision_model.");
        w.linear("multi_modal_projector.linear_1.weight", d.hidden(), v.hidden());
        w.random("multi_modal_projector.linear_1.bias", 0, 0.02, d.hidden());
        w.linear("multi_modal_projector.linear_2.weight", d.hidden(), d.hidden());
        w.random("multi_modal_projector.linear_2.bias", 0, 0.02, d.hidden());
        decoderWeights(w, d, "language_model.model.", "language_model.lm_head.weight");
        w.finish();
        textFiles(dir, d);
        ObjectNode pre = JSON.createObjectNode();
        pre.put("image_processor_type", "CLIPImageProcessor");
        pre.putObject("size").put("shortest_edge", v.imageSize());
        pre.putObject("crop_size").put("height", v.imageSize()).put("width", v.imageSize());
        pre.putArray("image_mean").add(0.48145466).add(0.4578275).add(0.40821073);
        pre.putArray("image_std").add(0.26862954).add(0.26130258).add(0.27577711);
        write(dir.resolve("preprocessor_config.json"), pre);
        return dir;
    }

    /** Idefics3 / SmolVLM layout: SigLIP tower, pixel shuffle + linear connector, Llama decoder, image splitting. */
    public static Path writeIdefics3(Path dir, VisionDims v, DecoderDims d, int scale, long seed, DType dtype, long shardBytes) throws IOException {
        Files.createDirectories(dir);
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("model_type", "idefics3");
        cfg.putArray("architectures").add("Idefics3ForConditionalGeneration");
        cfg.put("image_token_id", 3);
        cfg.put("scale_factor", scale);
        ObjectNode vc = visionConfig(v);
        vc.put("model_type", "idefics3_vision");
        cfg.set("vision_config", vc);
        cfg.set("text_config", textConfig(d));
        cfg.put("prism_demo", true);
        write(dir.resolve("config.json"), cfg);
        ShardedWeightWriter w = new ShardedWeightWriter(dir, dtype, shardBytes, seed);
        visionWeights(w, v, "model.vision_model.");
        int in = v.hidden() * scale * scale;
        w.linear("model.connector.modality_projection.proj.weight", d.hidden(), in);
        decoderWeights(w, d, "model.text_model.", "lm_head.weight");
        w.finish();
        textFiles(dir, d);
        ObjectNode pre = JSON.createObjectNode();
        pre.put("image_processor_type", "Idefics3ImageProcessor");
        pre.put("do_image_splitting", true);
        pre.putObject("max_image_size").put("longest_edge", v.imageSize());
        pre.putObject("size").put("longest_edge", v.imageSize() * 2);
        pre.putArray("image_mean").add(0.5).add(0.5).add(0.5);
        pre.putArray("image_std").add(0.5).add(0.5).add(0.5);
        write(dir.resolve("preprocessor_config.json"), pre);
        return dir;
    }

    /**
     * The ~100M-parameter Idefics3-style VLM the runtime benchmark uses (about 94M: SigLIP 384x6 at
     * 224 px, pixel shuffle 2, Llama 768x12 with GQA 12/4 heads, vocab 8192, tied embeddings). Written
     * at benchmark time, never committed. Returns the parameter count.
     */
    public static long writeBenchVlm(Path dir, long seed) throws IOException {
        VisionDims v = new VisionDims("siglip", 384, 6, 1536, 6, 224, 16);
        DecoderDims d = new DecoderDims("llama", 768, 12, 4, 2048, 12, 8192, true, null);
        writeIdefics3(dir, v, d, 2, seed, DType.F32, 64L << 20);
        long bytes = 0;
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".safetensors")).toList()) {
                bytes += Files.size(p);
            }
        }
        return bytes / 4;
    }

    /** A standalone vision tower (clip_vision_model / siglip_vision_model) for the vision helper. */
    public static Path writeVisionTower(Path dir, VisionDims v, long seed) throws IOException {
        Files.createDirectories(dir);
        ObjectNode cfg = visionConfig(v);
        cfg.put("prism_demo", true);
        write(dir.resolve("config.json"), cfg);
        ShardedWeightWriter w = new ShardedWeightWriter(dir, DType.F32, Long.MAX_VALUE, seed);
        visionWeights(w, v, "vision_model.");
        w.finish();
        return dir;
    }

    static ObjectNode textConfig(DecoderDims d) {
        ObjectNode c = JSON.createObjectNode();
        c.put("model_type", d.modelType());
        c.put("hidden_size", d.hidden());
        c.put("num_attention_heads", d.heads());
        c.put("num_key_value_heads", d.kvHeads());
        c.put("intermediate_size", d.intermediate());
        c.put("num_hidden_layers", d.layers());
        c.put("vocab_size", d.vocab());
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_theta", 10000.0);
        c.put("max_position_embeddings", 64);
        c.put("tie_word_embeddings", d.tied());
        c.put("hidden_act", "silu");
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        if (d.ropeScaling() != null) {
            c.set("rope_scaling", d.ropeScaling());
        }
        return c;
    }

    static ObjectNode visionConfig(VisionDims v) {
        ObjectNode c = JSON.createObjectNode();
        boolean clip = v.modelType().equals("clip");
        c.put("model_type", clip ? "clip_vision_model" : "siglip_vision_model");
        c.put("hidden_size", v.hidden());
        c.put("num_attention_heads", v.heads());
        c.put("intermediate_size", v.intermediate());
        c.put("num_hidden_layers", v.layers());
        c.put("image_size", v.imageSize());
        c.put("patch_size", v.patchSize());
        c.put("num_channels", 3);
        c.put("layer_norm_eps", 1e-5);
        c.put("hidden_act", clip ? "quick_gelu" : "gelu_pytorch_tanh");
        return c;
    }

    static void decoderWeights(ShardedWeightWriter w, DecoderDims d, String prefix, String head) {
        int hd = d.hidden() / d.heads();
        w.random(prefix + "embed_tokens.weight", 0, 1, d.vocab(), d.hidden());
        for (int l = 0; l < d.layers(); l++) {
            String p = prefix + "layers." + l + ".";
            w.random(p + "input_layernorm.weight", 1, 0.1, d.hidden());
            w.linear(p + "self_attn.q_proj.weight", (long) d.heads() * hd, d.hidden());
            w.linear(p + "self_attn.k_proj.weight", (long) d.kvHeads() * hd, d.hidden());
            w.linear(p + "self_attn.v_proj.weight", (long) d.kvHeads() * hd, d.hidden());
            if (d.modelType().equals("qwen2")) {
                w.random(p + "self_attn.q_proj.bias", 0, 0.1, (long) d.heads() * hd);
                w.random(p + "self_attn.k_proj.bias", 0, 0.1, (long) d.kvHeads() * hd);
                w.random(p + "self_attn.v_proj.bias", 0, 0.1, (long) d.kvHeads() * hd);
            }
            w.linear(p + "self_attn.o_proj.weight", d.hidden(), (long) d.heads() * hd);
            w.random(p + "post_attention_layernorm.weight", 1, 0.1, d.hidden());
            w.linear(p + "mlp.gate_proj.weight", d.intermediate(), d.hidden());
            w.linear(p + "mlp.up_proj.weight", d.intermediate(), d.hidden());
            w.linear(p + "mlp.down_proj.weight", d.hidden(), d.intermediate());
        }
        w.random(prefix + "norm.weight", 1, 0.1, d.hidden());
        if (!d.tied()) {
            w.linear(head, d.vocab(), d.hidden());
        }
    }

    static void visionWeights(ShardedWeightWriter w, VisionDims v, String prefix) {
        boolean clip = v.modelType().equals("clip");
        int grid = v.imageSize() / v.patchSize();
        int tokens = grid * grid + (clip ? 1 : 0);
        int d = v.hidden();
        w.random(prefix + "embeddings.patch_embedding.weight", 0, 1 / Math.sqrt(3.0 * v.patchSize() * v.patchSize()),
                d, 3, v.patchSize(), v.patchSize());
        if (clip) {
            w.random(prefix + "embeddings.class_embedding", 0, 0.5, d);
            w.random(prefix + "pre_layrnorm.weight", 1, 0.1, d);
            w.random(prefix + "pre_layrnorm.bias", 0, 0.1, d);
        } else {
            w.random(prefix + "embeddings.patch_embedding.bias", 0, 0.1, d);
        }
        w.random(prefix + "embeddings.position_embedding.weight", 0, 0.5, tokens, d);
        for (int l = 0; l < v.layers(); l++) {
            String p = prefix + "encoder.layers." + l + ".";
            for (String ln : new String[] {"layer_norm1", "layer_norm2"}) {
                w.random(p + ln + ".weight", 1, 0.1, d);
                w.random(p + ln + ".bias", 0, 0.1, d);
            }
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                w.linear(p + "self_attn." + proj + ".weight", d, d);
                w.random(p + "self_attn." + proj + ".bias", 0, 0.1, d);
            }
            w.linear(p + "mlp.fc1.weight", v.intermediate(), d);
            w.random(p + "mlp.fc1.bias", 0, 0.1, v.intermediate());
            w.linear(p + "mlp.fc2.weight", d, v.intermediate());
            w.random(p + "mlp.fc2.bias", 0, 0.1, d);
        }
        w.random(prefix + "post_layernorm.weight", 1, 0.1, d);
        w.random(prefix + "post_layernorm.bias", 0, 0.1, d);
    }

    private static void textFiles(Path dir, DecoderDims d) throws IOException {
        TinyTokenizer.write(dir.resolve("tokenizer.json"), d.vocab());
        ObjectNode gen = JSON.createObjectNode();
        gen.put("bos_token_id", 1);
        gen.put("eos_token_id", 2);
        gen.put("max_new_tokens", 16);
        write(dir.resolve("generation_config.json"), gen);
    }

    static void write(Path file, ObjectNode node) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), node);
    }
}
