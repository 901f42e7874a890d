package dev.prism.llm.vlm;

import dev.prism.llm.checkpoint.Checkpoint;
import dev.prism.llm.checkpoint.CheckpointException;
import dev.prism.llm.checkpoint.ModelConfig;
import dev.prism.llm.checkpoint.TextTokenizer;
import dev.prism.llm.generate.CachePolicy;
import dev.prism.llm.generate.DecoderModel;
import dev.prism.llm.generate.GenerationOptions;
import dev.prism.llm.generate.GenerationResult;
import dev.prism.llm.generate.Generator;
import dev.prism.llm.generate.TokenListener;
import dev.prism.llm.model.DecoderSpec;
import dev.prism.llm.model.VisionSpec;
import dev.prism.llm.onnx.GraphBuilder;
import dev.prism.llm.onnx.ProjectorBlocks;
import dev.prism.llm.runtime.OrtRuntime;
import dev.prism.llm.runtime.RuntimeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The VLM facade: a LLaVA-1.5 or Idefics3/SmolVLM checkpoint (or a plain Llama/Qwen2 LM, text only)
 * compiled into per-layer ONNX Runtime sessions. encodeImage gives projected vision tokens (with
 * per-layer vision hooks), prepare splices them into a prompt, generate runs the decoder with
 * cache-policy hooks. Outputs of generated checkpoints report {@link #isDemo()}.
 */
public final class VisionLanguageModel implements AutoCloseable {
    private final Checkpoint ckpt;
    private final String arch;
    private final DecoderModel decoder;
    private final VisionTower tower;
    private final Projector projector;
    private final boolean dropCls;
    private final int scale;
    private final ImagePreprocessor pre;
    private final int longestEdge;

    private VisionLanguageModel(Checkpoint ckpt, String arch, DecoderModel decoder, VisionTower tower, Projector projector,
                                boolean dropCls, int scale, ImagePreprocessor pre, int longestEdge) {
        this.ckpt = ckpt;
        this.arch = arch;
        this.decoder = decoder;
        this.tower = tower;
        this.projector = projector;
        this.dropCls = dropCls;
        this.scale = scale;
        this.pre = pre;
        this.longestEdge = longestEdge;
    }

    public static VisionLanguageModel load(Path dir) {
        return load(dir, RuntimeOptions.defaults());
    }

    public static VisionLanguageModel load(Path dir, RuntimeOptions options) {
        Checkpoint c = Checkpoint.open(dir);
        OrtRuntime rt = new OrtRuntime(options);
        List<AutoCloseable> built = new ArrayList<>();
        try {
            ModelConfig cfg = c.config();
            String type = cfg.modelType();
            GraphBuilder.WeightMode mode = options.weightMode();
            switch (type) {
                case "llama", "qwen2", "mistral": {
                    DecoderModel d = DecoderModel.compile(rt, c.weights(), DecoderSpec.from(cfg, "model.", "lm_head.weight"));
                    return new VisionLanguageModel(c, type, d, null, null, false, 1, null, 0);
                }
                case "llava": {
                    boolean modern = c.weights().contains("model.language_model.embed_tokens.weight");
                    String vp = modern ? "model.vision_tower.vision_model." : "vision_tower.vision_model.";
                    String pp = modern ? "model.multi_modal_projector." : "multi_modal_projector.";
                    DecoderSpec ds = DecoderSpec.from(cfg.section("text_config"), modern ? "model.language_model." : "language_model.model.",
                            modern ? "lm_head.weight" : "language_model.lm_head.weight");
                    VisionSpec vs = VisionSpec.from(cfg.section("vision_config"), vp);
                    int featureLayer = cfg.getInt("vision_feature_layer", -2);
                    int run = featureLayer < 0 ? vs.layers() + 1 + featureLayer : featureLayer;
                    if (run < 0 || run > vs.layers()) {
                        throw new CheckpointException(dir + ": vision_feature_layer " + featureLayer + " outside the tower's "
                                + vs.layers() + " layers");
                    }
                    DecoderModel d = add(built, DecoderModel.compile(rt, c.weights(), ds));
                    VisionTower t = add(built, VisionTower.compile(rt, c.weights(), vs, run, false));
                    Projector p = new Projector(rt, rt.compile(ProjectorBlocks.llavaMlp(vs.hidden(), ds.hidden(),
                            cfg.getString("projector_hidden_act", "gelu"), mode), n -> c.weights().get(pp + n).toFloat32Direct()),
                            vs.hidden(), ds.hidden());
                    boolean drop = cfg.getString("vision_feature_select_strategy", "default").equals("default");
                    return new VisionLanguageModel(c, type, d, t, p, drop, 1, preprocessor(c, 0.48145466f, 0.26862954f), 0);
                }
                case "idefics3", "smolvlm": {
                    DecoderSpec ds = DecoderSpec.from(cfg.section("text_config"), "model.text_model.", "lm_head.weight");
                    VisionSpec vs = VisionSpec.from(cfg.section("vision_config"), "model.vision_model.");
                    int s = cfg.getInt("scale_factor", 2);
                    DecoderModel d = add(built, DecoderModel.compile(rt, c.weights(), ds));
                    VisionTower t = add(built, VisionTower.compile(rt, c.weights(), vs, vs.layers(), true));
                    Projector p = new Projector(rt, rt.compile(ProjectorBlocks.pixelShuffleLinear(vs.patches(), vs.hidden(), s,
                            ds.hidden(), mode), n -> c.weights().get("model.connector." + n).toFloat32Direct()),
                            vs.hidden(), ds.hidden());
                    int longest = c.preprocessorConfig().map(pc -> pc.section("size").getInt("longest_edge", vs.imageSize()))
                            .orElse(vs.imageSize());
                    return new VisionLanguageModel(c, type, d, t, p, false, s, preprocessor(c, 0.5f, 0.5f), longest);
                }
                default:
                    throw new CheckpointException(dir + ": model_type '" + type
                            + "' is not supported (supported: llava, idefics3, smolvlm, llama, qwen2, mistral)");
            }
        } catch (RuntimeException e) {
            for (AutoCloseable a : built) {
                try {
                    a.close();
                } catch (Exception ignored) {
                    // already failing; report the original error
                }
            }
            c.close();
            throw e;
        }
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> list, T t) {
        list.add(t);
        return t;
    }

    private static ImagePreprocessor preprocessor(Checkpoint c, float dMean, float dStd) {
        float[] mean = {dMean, dMean, dMean};
        float[] std = {dStd, dStd, dStd};
        c.preprocessorConfig().ifPresent(pc -> {
            for (int i = 0; i < 3; i++) {
                if (pc.json().has("image_mean")) {
                    mean[i] = (float) pc.json().get("image_mean").get(i).asDouble();
                }
                if (pc.json().has("image_std")) {
                    std[i] = (float) pc.json().get("image_std").get(i).asDouble();
                }
            }
        });
        return new ImagePreprocessor(mean, std, ImagePreprocessor.Resample.fromConfig(c.preprocessorConfig()));
    }

    public boolean isDemo() {
        return ckpt.isDemo();
    }

    /** "llava", "idefics3"/"smolvlm", or the LM's type for text-only checkpoints. */
    public String architecture() {
        return arch;
    }

    public boolean hasVision() {
        return tower != null;
    }

    public DecoderModel decoder() {
        return decoder;
    }

    public VisionTower visionTower() {
        return tower;
    }

    public TextTokenizer tokenizer() {
        return ckpt.tokenizer();
    }

    public Checkpoint checkpoint() {
        return ckpt;
    }

    /** Encodes interleaved 8-bit RGB: the model's own resize/crop or tiling, tower, projector. */
    public VisionTokens encodeImage(byte[] rgb, int width, int height) {
        return encodeImage(rgb, width, height, VisionHook.NONE);
    }

    public VisionTokens encodeImage(byte[] rgb, int width, int height, VisionHook hook) {
        requireVision();
        int size = tower.spec().imageSize();
        if (arch.equals("llava")) {
            return encodePixels(pre.clip(rgb, width, height, size), hook);
        }
        ImagePreprocessor.Tiles tiles = pre.split(rgb, width, height, longestEdge, size);
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (float[] tile : tiles.tiles()) {
            float[] p = projector.project(tower.encode(tile, hook));
            parts.add(p);
            total += p.length;
        }
        float[] all = new float[total];
        int off = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, off, p.length);
            off += p.length;
        }
        int h = decoder.spec().hidden();
        return new VisionTokens(all, total / h, h, tiles.rows(), tiles.cols(), parts.get(0).length / h, tiles.hasGlobal());
    }

    /** Encodes one already normalised square image [3*S*S] at the tower's size (no tiling). */
    public VisionTokens encodePixels(float[] chw, VisionHook hook) {
        requireVision();
        float[] x = tower.encode(chw, hook);
        int dv = tower.spec().hidden();
        if (dropCls && tower.spec().hasCls()) {
            float[] noCls = new float[x.length - dv];
            System.arraycopy(x, dv, noCls, 0, noCls.length);
            x = noCls;
        }
        float[] y = projector.project(x);
        int h = decoder.spec().hidden();
        return new VisionTokens(y, y.length / h, h, 1, 1, y.length / h, false);
    }

    private void requireVision() {
        if (tower == null) {
            throw new IllegalStateException(ckpt.dir() + " is a text-only " + arch + " checkpoint; it cannot encode images");
        }
    }

    /**
     * Tokenises the prompt and splices the vision tokens at its {@code <image>} placeholder (at the start
     * when there is none); see {@link ImagePrompts}.
     */
    public Prompt prepare(String prompt, VisionTokens vision) {
        return ImagePrompts.prepare(ckpt.tokenizer(), decoder, arch.equals("llava"), prompt, vision);
    }

    /**
     * Idefics3/SmolVLM placement of several images whose tiles may hold pruned (different) token counts, the
     * embeddings in prompt order; see {@link ImagePrompts#prepareTiled}.
     */
    public Prompt prepareTiled(String prompt, float[] embeddings, java.util.List<ImageLayout> images) {
        if (arch.equals("llava") || tower == null) {
            throw new IllegalStateException(ckpt.dir() + " is a " + arch + " checkpoint: tiled image prompts are "
                    + "Idefics3/SmolVLM's; use prepare");
        }
        return ImagePrompts.prepareTiled(ckpt.tokenizer(), decoder, prompt, embeddings, images);
    }

    public GenerationResult generate(String prompt, VisionTokens vision, GenerationOptions options, TokenListener listener) {
        return generate(prepare(prompt, vision), options, CachePolicy.NONE, listener);
    }

    /** Runs the decoder on a prepared prompt; with no stop tokens given, the checkpoint's EOS ids stop it. */
    public GenerationResult generate(Prompt prompt, GenerationOptions options, CachePolicy policy, TokenListener listener) {
        GenerationOptions o = options;
        if (o.stopTokens().isEmpty()) {
            Set<Long> eos = new HashSet<>();
            ckpt.generationConfig().eosTokenIds().forEach(i -> eos.add((long) i));
            o = o.stopTokens(eos);
        }
        return new Generator(decoder, ckpt.tokenizer(), isDemo()).generate(prompt.embeddings(), prompt.length(), o, policy, listener);
    }

    @Override
    public void close() {
        if (projector != null) {
            projector.close();
        }
        if (tower != null) {
            tower.close();
        }
        decoder.close();
        ckpt.close();
    }
}
