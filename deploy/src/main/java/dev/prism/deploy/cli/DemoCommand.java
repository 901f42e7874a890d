package dev.prism.deploy.cli;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Generates a short sample clip (real read speech from $PRISM_ASSETS when present) and processes it. */
@Dependent
@Unremovable
@Command(name = "demo", description = "Generate a short sample clip and run the whole pipeline on it.")
public class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "prism-demo", description = "results directory (default ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--seconds", defaultValue = "6")
    double seconds;

    @Inject
    ProcessCommand process;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        String assets = System.getenv("PRISM_ASSETS");
        Path speech = assets == null ? null
                : Path.of(assets, "media", "speech", "sense_and_sensibility_01_austen_64kb-0920.wav");
        Path clip = SampleClip.write(out.resolve("sample.mp4"), seconds, 320, 240, 15, speech);
        System.out.println("sample clip: " + clip + (speech != null && Files.exists(speech) ? " (speech from " + speech.getFileName() + ")" : " (tone; set PRISM_ASSETS for real speech)"));
        return process.run(clip, out);
    }
}
