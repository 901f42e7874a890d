package dev.prism.deploy.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.deploy.TestMedia;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code prism process}: the whole pipeline through the embedded broker, results written to a directory. */
@QuarkusMainTest
class ProcessCommandTest {

    @Test
    void processWritesEveryResultFileAndExitsZero(QuarkusMainLauncher launcher) throws Exception {
        Path clip = TestMedia.clip(4);
        Path out = Files.createTempDirectory(Path.of("target"), "process-out-");
        LaunchResult r = launcher.launch("process", clip.toString(), "--out", out.toString(),
                "--tasks", "transcript,codec,gaussians", "--frame-rate", "2");
        assertEquals(0, r.exitCode(), r.getOutput() + r.getErrorOutput());
        for (String f : new String[] {"report.json", "transcript.json", "transcript.srt", "transcript.vtt", "audio.codes",
                "gaussians/index.json", "gaussians/stream.qgs"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " is written; got " + r.getOutput());
        }
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("done", report.get("state").asText());
        assertEquals("done", report.at("/taskStatus/gaussians").asText());
        assertTrue(report.at("/outputs/gaussianFrames").asInt() >= 7, "2 fps over 4 s: " + report.at("/outputs"));
        JsonNode index = new ObjectMapper().readTree(out.resolve("gaussians/index.json").toFile());
        assertEquals("builtin-parallax", index.get("depthSource").asText());
        assertTrue(r.getOutput().contains("results in"), r.getOutput());
    }

    @Test
    void processOfNonMediaExitsNonZeroWithAOneLineReason(QuarkusMainLauncher launcher) throws Exception {
        Path junk = Files.createTempFile(Path.of("target"), "junk-", ".mp4");
        Files.write(junk, "definitely not a video".repeat(100).getBytes());
        LaunchResult r = launcher.launch("process", junk.toString(), "--out", "target/process-junk");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.getErrorOutput().contains("not a media file"), r.getErrorOutput());
    }

    @Test
    void processOfAMissingFileSaysSo(QuarkusMainLauncher launcher) {
        LaunchResult r = launcher.launch("process", "target/does-not-exist.mp4", "--out", "target/x");
        assertEquals(2, r.exitCode());
        assertTrue(r.getErrorOutput().contains("does-not-exist.mp4"), r.getErrorOutput());
    }
}
