package dev.prism.deploy.cli;

import dev.prism.deploy.PrismRuntime;
import io.quarkus.runtime.Quarkus;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import picocli.CommandLine.Command;

@Dependent
@Unremovable
@Command(name = "serve", description = "Run the service: REST API, dashboard and the stages (embedded Kafka unless prism.kafka.bootstrap is set).")
public class ServeCommand implements Callable<Integer> {

    @Inject
    PrismRuntime runtime;
    @ConfigProperty(name = "quarkus.http.port")
    int port;

    @Override
    public Integer call() {
        runtime.start(null);
        System.out.printf("Prism is serving: dashboard http://localhost:%d/  API http://localhost:%d/v1/jobs  OpenAPI /openapi  metrics /metrics  health /q/health%n"
                + "Kafka bootstrap: %s  data: %s  (Ctrl-C stops)%n", port, port, runtime.backbone().bootstrap(), runtime.backbone().dataDir());
        Quarkus.waitForExit();
        return 0;
    }
}
