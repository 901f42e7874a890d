package dev.prism.deploy.health;

import dev.prism.deploy.PrismRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the broker answers and every stage of this process is consuming. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    PrismRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("prism");
        if (!runtime.isStarted()) return b.down().withData("reason", "backbone not started").build();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.backbone().bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(p)) {
            int nodes = admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            b.withData("brokers", nodes);
        } catch (Exception e) {
            return b.down().withData("broker", "unreachable: " + e.getMessage()).build();
        }
        boolean stages = runtime.stages() != null && runtime.stages().allRunning();
        b.withData("stages", stages ? "consuming" : "not all running");
        b.withData("tracker", runtime.tracker().isAlive() ? "running" : "stopped");
        return (stages && runtime.tracker().isAlive() ? b.up() : b.down()).build();
    }
}
