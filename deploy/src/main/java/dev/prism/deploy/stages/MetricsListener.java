package dev.prism.deploy.stages;

import dev.prism.streaming.runtime.StageListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Binds the stage runtime's callbacks to Prometheus metrics, tagged by stage. */
public final class MetricsListener implements StageListener {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();

    public MetricsListener(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Creates the stage's meters up front, so /metrics lists them before the first record. */
    public void register(String stage) {
        Counter.builder("prism_stage_records_in").tag("stage", stage).register(registry);
        Counter.builder("prism_stage_failures").tag("stage", stage).register(registry);
        Counter.builder("prism_stage_dlq").tag("stage", stage).register(registry);
        lag(stage, 0);
    }

    @Override
    public void recordIn(String stage) {
        Counter.builder("prism_stage_records_in").tag("stage", stage).register(registry).increment();
    }

    @Override
    public void recordOut(String stage, String topic) {
        Counter.builder("prism_stage_records_out").tag("stage", stage).tag("topic", topic).register(registry).increment();
    }

    @Override
    public void processed(String stage, long nanos) {
        Timer.builder("prism_stage_processing").tag("stage", stage).publishPercentileHistogram()
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void failed(String stage, Throwable t) {
        Counter.builder("prism_stage_failures").tag("stage", stage).register(registry).increment();
    }

    @Override
    public void deadLettered(String stage) {
        Counter.builder("prism_stage_dlq").tag("stage", stage).register(registry).increment();
    }

    @Override
    public void lag(String stage, long totalLag) {
        lags.computeIfAbsent(stage, s -> registry.gauge("prism_stage_consumer_lag",
                io.micrometer.core.instrument.Tags.of("stage", s), new AtomicLong())).set(totalLag);
    }
}
