package dev.prism.deploy;

import dev.prism.deploy.config.PrismConfig;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;

/** Prism's real config mapping over a few properties (unknown prism.* keys are refused, as in the app). */
public final class TestConfig {

    private TestConfig() {
    }

    public static PrismConfig of(Map<String, String> props) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(PrismConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(props, "test", 500))
                .build();
        return config.getConfigMapping(PrismConfig.class);
    }
}
