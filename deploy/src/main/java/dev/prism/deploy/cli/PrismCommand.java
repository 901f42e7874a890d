package dev.prism.deploy.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code prism}: with no command it serves (REST, dashboard, every stage on the embedded broker). */
@TopCommand
@Command(name = "prism", mixinStandardHelpOptions = true, version = "prism 0.1.0",
        description = "Video and audio to transcripts, captions, neural-codec tokens and 3D Gaussian streams, on Kafka.",
        subcommands = {ServeCommand.class, ProcessCommand.class, DemoCommand.class, BenchCommand.class, CodecCommand.class, ModelsCommand.class, CalibrateCommand.class})
public class PrismCommand implements Callable<Integer> {

    @Inject
    ServeCommand serve;

    @Override
    public Integer call() {
        return serve.call();
    }
}
