package dev.prism.deploy.stages;

import dev.prism.deploy.backbone.Backbone;
import dev.prism.deploy.config.PrismConfig;
import dev.prism.streaming.runtime.RetryPolicy;
import dev.prism.streaming.runtime.StageRuntime;
import dev.prism.streaming.runtime.StageSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/** Starts this process's stage roles ({@code prism.stages}) on the one stage runtime, and stops them gracefully. */
public final class StageWiring implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StageWiring.class);
    private final List<StageRuntime> runtimes = new ArrayList<>();
    private final StageServices services;

    public StageWiring(Backbone backbone, PrismConfig config, MetricsListener listener) {
        Set<String> roles = roles(config.stages());
        services = new StageServices(new StageSupport(backbone.topics(), backbone.store()), config,
                backbone.dataDir().resolve("cache"));
        var defs = StageDefinitions.all();
        for (String role : roles) {
            var def = defs.get(role);
            StageSpec spec = new StageSpec(role, List.of(def.input().apply(backbone.topics())),
                    config.kafka().concurrency(),
                    new RetryPolicy(config.kafka().maxAttempts(), Duration.ofMillis(200), 2.0, Duration.ofSeconds(10)),
                    backbone.topics().dlq(), backbone.topics().progress(), Duration.ofMinutes(10), 8);
            listener.register(role);
            StageRuntime rt = new StageRuntime(backbone.bootstrap(), spec, def.handler().apply(services), listener);
            rt.start();
            runtimes.add(rt);
        }
        LOG.infof("stages running in this process: %s", roles);
    }

    public static Set<String> roles(List<String> configured) {
        Set<String> roles = new LinkedHashSet<>();
        for (String s : configured) {
            String r = s.trim().toLowerCase();
            if (r.isEmpty()) continue;
            if (r.equals("all")) {
                roles.addAll(StageDefinitions.ALL);
            } else if (StageDefinitions.ALL.contains(r)) {
                roles.add(r);
            } else {
                throw new IllegalArgumentException("unknown stage '" + s + "' in prism.stages: use 'all' or any of "
                        + StageDefinitions.ALL);
            }
        }
        return roles;
    }

    public StageServices services() {
        return services;
    }

    public boolean allRunning() {
        return runtimes.stream().allMatch(StageRuntime::isRunning);
    }

    public List<StageRuntime> runtimes() {
        return runtimes;
    }

    @Override
    public void close() {
        for (StageRuntime rt : runtimes) {
            try {
                rt.close();
            } catch (RuntimeException e) {
                LOG.warnf("stage did not stop cleanly: %s", e.getMessage());
            }
        }
        runtimes.clear();
    }
}
