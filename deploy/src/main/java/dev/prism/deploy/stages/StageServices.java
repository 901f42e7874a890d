package dev.prism.deploy.stages;

import dev.prism.deploy.config.PrismConfig;

/** What stage adapters are built from: record plumbing plus the configuration of the libraries they call. */
public record StageServices(StageSupport support, PrismConfig config) {
}
