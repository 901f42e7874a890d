package dev.prism.deploy.stages;

import dev.prism.deploy.config.PrismConfig;
import dev.prism.vision.caption.CaptionOptions;
import dev.prism.vision.caption.Captioner;
import java.nio.file.Path;

/**
 * What stage adapters are built from: record plumbing, the configuration of the libraries they call, a cache
 * directory for derived artefacts (demo codebooks, generated demo checkpoints), and the captioner shared by
 * the vision and vlm stages of this process (loaded once, in the background, on first use).
 */
public final class StageServices {

    private final StageSupport support;
    private final PrismConfig config;
    private final Path cacheDir;
    private Background<Captioner> captioner;

    public StageServices(StageSupport support, PrismConfig config, Path cacheDir) {
        this.support = support;
        this.config = config;
        this.cacheDir = cacheDir;
    }

    public StageSupport support() { return support; }
    public PrismConfig config() { return config; }
    public Path cacheDir() { return cacheDir; }

    /** The VLM: the checkpoint in prism.models-dir/vlm when present, else the generated demo model (labelled demo). */
    public synchronized Background<Captioner> captioner() {
        if (captioner == null) {
            Path real = config.modelsDir().map(d -> Path.of(d, "vlm")).filter(java.nio.file.Files::isDirectory).orElse(null);
            Path cache = cacheDir.resolve("vlm");
            captioner = new Background<>("the vision-language model", () -> Captioner.open(real, cache, CaptionOptions.defaults()));
        }
        return captioner;
    }
}
