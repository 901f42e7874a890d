package dev.prism.deploy.stages;

import dev.prism.deploy.config.PrismConfig;
import dev.prism.llm.pruning.GqaAggregation;
import dev.prism.vision.caption.CaptionOptions;
import dev.prism.vision.caption.Captioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

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

    /**
     * The VLM: the checkpoint in prism.models-dir/vlm when present, else the generated demo model (labelled demo).
     * The options are checked here, when the stages are wired, so a bad prism.vlm.* value stops the process at start.
     */
    public synchronized Background<Captioner> captioner() {
        if (captioner == null) {
            CaptionOptions options = captionOptions(config.vlm());
            captioner = new Background<>("the vision-language model",
                    () -> Captioner.open(vlmCheckpoint(config), cacheDir.resolve("vlm"), options));
        }
        return captioner;
    }

    /** The same captioner as the stages', opened now on this thread (for the CLI); the caller closes it. */
    public static Captioner openCaptioner(PrismConfig config, Path cacheDir, CaptionOptions options) {
        return Captioner.open(vlmCheckpoint(config), cacheDir.resolve("vlm"), options);
    }

    /** prism.models-dir/vlm when it is a directory; null means the generated demo model. */
    public static Path vlmCheckpoint(PrismConfig config) {
        return config.modelsDir().map(d -> Path.of(d, "vlm")).filter(Files::isDirectory).orElse(null);
    }

    /**
     * CaptionOptions.defaults() with whatever prism.vlm.* sets.
     *
     * @throws IllegalArgumentException naming the key, the bad value and the allowed range
     */
    public static CaptionOptions captionOptions(PrismConfig.Vlm vlm) {
        CaptionOptions d = CaptionOptions.defaults();
        PrismConfig.Plphp p = vlm.plphp();
        double alpha = unit(p.alpha(), d.plphpAlpha(), "prism.vlm.plphp.alpha");
        double beta = unit(p.beta(), d.plphpBeta(), "prism.vlm.plphp.beta");
        double r = unit(p.r(), d.plphpR(), "prism.vlm.plphp.r");
        double deltaR = unit(p.deltaR(), d.plphpDeltaR(), "prism.vlm.plphp.delta-r");
        if (!(alpha > beta)) {
            throw new IllegalArgumentException("prism.vlm.plphp.alpha (" + alpha + ") must be greater than "
                    + "prism.vlm.plphp.beta (" + beta + "): a layer is vision-attentive at gamma >= alpha and "
                    + "vision-indifferent at gamma <= beta (ALGORITHMS.md 2.1); `prism calibrate plphp` prints both");
        }
        int firstLayer = p.firstLayer().orElse(d.plphpFirstLayer());
        if (firstLayer < 0) {
            throw new IllegalArgumentException("prism.vlm.plphp.first-layer is " + firstLayer
                    + ": give a decoder layer index >= 0 (layers below it are never pruned)");
        }
        GqaAggregation aggregation = p.aggregation().map(StageServices::aggregation).orElse(d.plphpAggregation());
        CaptionOptions.Builder b = d.toBuilder()
                .plphp(p.enabled().orElse(d.plphp()))
                .plphpParams(alpha, beta, r, deltaR, firstLayer, aggregation);
        Optional<Integer> level = vlm.cachegenLevel();
        if (level.isPresent()) {
            if (level.get() < 1 || level.get() > 3) {
                throw new IllegalArgumentException("prism.vlm.cachegen-level is " + level.get()
                        + ": use 1, 2 or 3 (3 is the best quality, 1 the smallest)");
            }
            b.cacheGenLevel(level.get());
        }
        Optional<Integer> threads = vlm.threads();
        if (threads.isPresent()) {
            if (threads.get() < 0) {
                throw new IllegalArgumentException("prism.vlm.threads is " + threads.get()
                        + ": give 0 (one per core) or a positive thread count");
            }
            b.threads(threads.get());
        }
        return b.build();
    }

    private static double unit(Optional<Double> value, double fallback, String key) {
        double v = value.orElse(fallback);
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(key + " is " + v + ": give a value in [0, 1]");
        }
        return v;
    }

    private static GqaAggregation aggregation(String name) {
        try {
            return GqaAggregation.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("prism.vlm.plphp.aggregation is '" + name + "': use sum, max or mean", e);
        }
    }
}
