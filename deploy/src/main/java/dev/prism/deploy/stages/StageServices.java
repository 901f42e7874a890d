package dev.prism.deploy.stages;

import dev.prism.deploy.config.PrismConfig;
import java.nio.file.Path;

/**
 * What stage adapters are built from: record plumbing, the configuration of the libraries they call, and
 * a cache directory for derived artefacts (demo codebooks, generated demo checkpoints).
 */
public record StageServices(StageSupport support, PrismConfig config, Path cacheDir) {
}
