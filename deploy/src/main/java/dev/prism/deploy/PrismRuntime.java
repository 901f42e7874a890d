package dev.prism.deploy;

import dev.prism.deploy.backbone.Backbone;
import dev.prism.deploy.config.PrismConfig;
import dev.prism.deploy.jobs.JobTracker;
import dev.prism.deploy.stages.MetricsListener;
import dev.prism.deploy.stages.StageWiring;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The running service: backbone, job tracker and this process's stages. Starts by itself for
 * {@code prism serve} (and with no command, and in tests); {@code prism process} starts it on its own data dir.
 */
@ApplicationScoped
public class PrismRuntime {

    private static final Logger LOG = Logger.getLogger(PrismRuntime.class);
    /** Commands that need no broker (benchmarks, codec files, models). */
    private static final Set<String> OFFLINE_COMMANDS = Set.of("process", "demo", "bench", "codec", "models", "calibrate", "help", "--help", "-h", "--version", "-V");

    @Inject
    Backbone backbone;
    @Inject
    PrismConfig config;
    @Inject
    MeterRegistry registry;
    @Inject
    @CommandLineArguments
    String[] args;

    private volatile JobTracker tracker;
    private volatile StageWiring stages;
    private ScheduledExecutorService housekeeping;

    void onStart(@Observes StartupEvent ev) {
        if (args.length == 0 || !OFFLINE_COMMANDS.contains(args[0])) {
            start(null);
        }
    }

    public synchronized void start(Path dataDir) {
        if (tracker != null) return;
        backbone.start(dataDir);
        tracker = new JobTracker(backbone);
        stages = new StageWiring(backbone, config, new MetricsListener(registry));
        housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "prism-retention");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(this::cleanup, 1, 60, TimeUnit.MINUTES);
    }

    private void cleanup() {
        try {
            int n = backbone.store().cleanup(config.retention());
            if (n > 0) LOG.infof("retention: deleted %d finished jobs older than %s", n, config.retention());
        } catch (Exception e) {
            LOG.warnf("retention cleanup failed: %s", e.getMessage());
        }
    }

    public boolean isStarted() {
        return tracker != null;
    }

    public JobTracker tracker() {
        if (tracker == null) {
            throw new IllegalStateException("Prism's backbone is not running in this process");
        }
        return tracker;
    }

    public StageWiring stages() {
        return stages;
    }

    public Backbone backbone() {
        return backbone;
    }

    void onStop(@Observes ShutdownEvent ev) {
        stop();
    }

    public synchronized void stop() {
        if (housekeeping != null) housekeeping.shutdownNow();
        if (stages != null) stages.close();
        if (tracker != null) tracker.close();
        backbone.stop();
        stages = null;
        tracker = null;
    }

}
