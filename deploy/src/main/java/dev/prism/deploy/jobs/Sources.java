package dev.prism.deploy.jobs;

import dev.prism.deploy.config.PrismConfig;
import dev.prism.ingest.MediaLimits;
import dev.prism.ingest.source.SourcePolicy;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/** Builds the ingest library's source rules and limits from Prism's configuration. */
public final class Sources {

    private Sources() {
    }

    public static SourcePolicy policy(PrismConfig config) {
        PrismConfig.Sources s = config.sources();
        List<Path> roots = s.allowedRoots().orElse(List.of()).stream().filter(r -> !r.isBlank()).map(Path::of).toList();
        return new SourcePolicy(new HashSet<>(s.allowedSchemes()), roots, s.allowPrivateAddresses(), s.httpTimeout(),
                s.httpTimeout().multipliedBy(3));
    }

    public static MediaLimits limits(PrismConfig config) {
        PrismConfig.Limits l = config.limits();
        return MediaLimits.defaults()
                .withMaxDimensions(l.maxDimension(), l.maxDimension())
                .withMaxDurationSeconds(l.maxDuration().toMillis() / 1000.0)
                .withMaxStreams(l.maxStreams())
                .withMaxFileBytes(l.maxUploadBytes());
    }
}
