package dev.prism.deploy.cli;

import dev.prism.deploy.PrismRuntime;
import dev.prism.deploy.api.ApiException;
import dev.prism.deploy.jobs.JobOptions;
import dev.prism.deploy.jobs.JobService;
import dev.prism.deploy.jobs.JobState;
import dev.prism.streaming.events.JobRequest;
import dev.prism.streaming.store.MediaStore;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Dependent
@Unremovable
@Command(name = "process", description = "Run the whole pipeline on one input through the embedded broker and write the results to a directory.")
public class ProcessCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INPUT", description = "a video or audio file")
    Path input;
    @Option(names = "--out", required = true, description = "directory for report.json, transcript.*, captions.*, audio.codes, gaussians/")
    Path out;
    @Option(names = "--tasks", description = "comma list of transcript,captions,codec,gaussians (default: all)")
    String tasks;
    @Option(names = "--prompt", description = "caption prompt")
    String prompt;
    @Option(names = "--frame-rate", description = "frames per second sampled for captions and 3D (default 1)")
    Double frameRate;
    @Option(names = "--segment-seconds", description = "segment length (default 2)")
    Double segmentSeconds;
    @Option(names = "--data-dir", description = "broker and store directory (default: a temporary one, removed afterwards)")
    Path dataDir;
    @Option(names = "--timeout", defaultValue = "3600", description = "seconds to wait for the job (default ${DEFAULT-VALUE})")
    long timeoutSeconds = 3600;

    @Inject
    PrismRuntime runtime;
    @Inject
    JobService jobs;

    @Override
    public Integer call() throws Exception {
        return run(input, out);
    }

    int run(Path in, Path outDir) throws Exception {
        if (!Files.isRegularFile(in)) {
            System.err.println("prism process: input '" + in + "' is not a readable file: give the path of a video or audio file");
            return 2;
        }
        boolean temp = dataDir == null;
        Path data = temp ? Files.createTempDirectory("prism-process-") : dataDir;
        try {
            System.err.println("starting the embedded broker and stages ...");
            runtime.start(data);
            JobRequest job;
            try (InputStream body = Files.newInputStream(in)) {
                job = jobs.submitUpload(body, in.getFileName().toString(),
                        JobOptions.parse(tasks, frameRate, segmentSeconds, prompt));
            } catch (ApiException e) {
                System.err.println("prism process: " + e.getMessage());
                return 2;
            }
            JobState s = waitFor(job.jobId());
            if (s == null || !s.isFinished()) {
                System.err.println("prism process: job " + job.jobId() + " did not finish within " + timeoutSeconds + " s");
                return 1;
            }
            List<Path> written = copyResults(runtime.backbone().store(), job.jobId(), outDir);
            System.out.println("job " + job.jobId() + ": " + s.state.name().toLowerCase()
                    + (s.reason != null ? " (" + s.reason + ")" : "") + (s.demo ? "  [demo checkpoints]" : ""));
            for (String t : job.tasks()) System.out.printf("  %-11s %s%n", t, s.taskStatus(t));
            System.out.println("results in " + outDir.toAbsolutePath() + ":");
            written.forEach(p -> System.out.println("  " + outDir.relativize(p)));
            if (s.state != JobState.State.DONE) {
                System.err.println("prism process: job failed: " + s.reason);
                return 1;
            }
            return 0;
        } finally {
            runtime.stop();
            if (temp) deleteTree(data);
        }
    }

    private JobState waitFor(String jobId) throws InterruptedException {
        ProgressBar bar = new ProgressBar(System.err);
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
        JobState s = null;
        while (System.currentTimeMillis() < deadline) {
            s = runtime.tracker().get(jobId);
            if (s != null) {
                var summary = runtime.tracker().summary(s);
                String busy = s.stages.entrySet().stream().filter(e -> e.getValue().state.equals("running"))
                        .map(e -> e.getKey()).reduce((a, b) -> a + "," + b).orElse(s.state.name().toLowerCase());
                bar.update("job", (double) summary.get("progress"), busy);
                if (s.isFinished()) break;
            }
            Thread.sleep(100);
        }
        bar.done();
        return s;
    }

    static List<Path> copyResults(MediaStore store, String jobId, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        List<Path> written = new java.util.ArrayList<>();
        for (String ref : store.list(jobId).stream().sorted().toList()) {
            int i = ref.indexOf("results/");
            if (i < 0) continue;
            String rel = ref.substring(i + "results/".length());
            if (rel.startsWith("codes/")) continue; // per-segment pieces of audio.codes
            Path target = outDir.resolve(rel).normalize();
            if (!target.startsWith(outDir.normalize())) continue;
            Files.createDirectories(target.getParent());
            try (InputStream in = store.open(ref)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            written.add(target);
        }
        return written;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort for a temporary directory
        }
    }
}
