package dev.prism.deploy.cli;

import dev.prism.llm.hub.HubClient;
import dev.prism.llm.hub.HubException;
import dev.prism.llm.hub.ModelRegistry;
import dev.prism.llm.hub.RepoRef;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prism models fetch|list}: real checkpoints from the Hugging Face Hub, pinned and sha256-checked. */
@Dependent
@Unremovable
@Command(name = "models", description = "Fetch checkpoints from the Hugging Face Hub (pinned revision, sha256 checked) or list the cache.",
        subcommands = {ModelsCommand.Fetch.class, ModelsCommand.List.class})
public class ModelsCommand implements Runnable {

    static Path defaultCache() {
        String env = System.getenv("PRISM_MODELS");
        return env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "prism", "models");
    }

    @Override
    public void run() {
        System.err.println("prism models: choose a subcommand: fetch or list (see --help)");
    }

    @Dependent
@Unremovable
    @Command(name = "fetch", description = "Download <repo>[@revision] into the cache (resumable; offline mode reads the cache only)")
    public static class Fetch implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "REPO[@REVISION]") String spec;
        @Option(names = "--cache", description = "cache directory (default $PRISM_MODELS or ~/.cache/prism/models)") Path cache;
        @Option(names = "--endpoint", defaultValue = "https://huggingface.co") URI endpoint;
        @Option(names = "--offline", description = "never touch the network; fail unless the revision is cached") boolean offline;
        @Option(names = "--token", description = "Hub token (default $HF_TOKEN)") String token;

        @Override
        public Integer call() {
            try {
                RepoRef ref = RepoRef.parse(spec);
                HubClient hub = new HubClient(endpoint, cache != null ? cache : defaultCache(), offline,
                        token != null ? token : System.getenv("HF_TOKEN"));
                ProgressBar bar = new ProgressBar(System.err);
                Path dir = hub.fetch(ref, f -> true, line -> bar.update("fetch", 0, line));
                bar.done();
                System.out.println(ref + " -> " + dir);
                return 0;
            } catch (HubException | IllegalArgumentException e) {
                System.err.println("prism models fetch: " + e.getMessage());
                return 1;
            }
        }
    }

    @Dependent
@Unremovable
    @Command(name = "list", description = "Checkpoints in the cache")
    public static class List implements Callable<Integer> {
        @Option(names = "--cache") Path cache;

        @Override
        public Integer call() {
            var entries = ModelRegistry.list(cache != null ? cache : defaultCache());
            if (entries.isEmpty()) System.out.println("(no checkpoints in " + (cache != null ? cache : defaultCache()) + ")");
            for (var e : entries) {
                System.out.printf("%-40s %-12s %-10s %8.1f MB %s%s%n", e.repo(), e.revision(), e.modelType(), e.bytes() / 1e6,
                        e.path(), e.demo() ? "  [demo]" : "");
            }
            return 0;
        }
    }
}
