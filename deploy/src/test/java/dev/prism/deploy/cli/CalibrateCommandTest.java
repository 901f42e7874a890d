package dev.prism.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.io.WavIO;
import dev.prism.deploy.TestConfig;
import dev.prism.deploy.TestMedia;
import dev.prism.deploy.stages.StageServices;
import dev.prism.vision.caption.CaptionOptions;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code prism calibrate plphp}: ALGORITHMS.md 2.3 on decoded video with the demo VLM, and its refusals. */
@QuarkusMainTest
class CalibrateCommandTest {

    @Test
    void calibrationPrintsAlphaAboveBetaAndConfigLinesTheServiceTakesBack(QuarkusMainLauncher launcher) throws Exception {
        Path clip = TestMedia.clip(4);
        Path json = Files.createTempFile(Path.of("target"), "plphp-", ".json");
        LaunchResult r = launcher.launch("calibrate", "plphp", clip.toString(), "--segment-seconds", "1",
                "--frames-per-segment", "1", "--prompt", "What moves?", "--prompt", "Describe the colours.",
                "--sweep", "--target-retention", "0.5", "--json", json.toString());
        assertEquals(0, r.exitCode(), r.getOutput() + r.getErrorOutput());
        String out = r.getOutput();
        assertTrue(out.contains("model: demo"), out);
        assertTrue(out.contains("4 segments x 2 prompts = 8 prefills"), out);

        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("prism.vlm.plphp.")) lines.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1).trim());
        }
        assertEquals(5, lines.size(), out);
        double alpha = Double.parseDouble(lines.get("prism.vlm.plphp.alpha"));
        double beta = Double.parseDouble(lines.get("prism.vlm.plphp.beta"));
        assertTrue(alpha > beta, "ALGORITHMS.md 2.1: alpha > beta; " + out);
        assertEquals("0.1", lines.get("prism.vlm.plphp.delta-r"), "the default delta-r is the one to paste");

        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertTrue(doc.get("demo").asBoolean());
        assertEquals(3, doc.get("calibrations").size(), "--sweep: delta-r 0.1, 0.2, 0.3");
        for (JsonNode c : doc.get("calibrations")) {
            assertEquals(0.5, c.get("realised").asDouble(), 0.02, "r is solved for the target mean retention: " + c);
            assertTrue(c.get("alpha").asDouble() > c.get("beta").asDouble(), c.toString());
        }

        // fed back as configuration, the printed lines are accepted and reach the captioner's options
        CaptionOptions o = StageServices.captionOptions(TestConfig.of(lines).vlm());
        assertEquals(alpha, o.plphpAlpha());
        assertEquals(beta, o.plphpBeta());
        assertEquals(Double.parseDouble(lines.get("prism.vlm.plphp.r")), o.plphpR());
        assertEquals(0.1, o.plphpDeltaR());
        assertEquals(Integer.parseInt(lines.get("prism.vlm.plphp.first-layer")), o.plphpFirstLayer());
    }

    @Test
    void badInputsExitWithCode2AndSayWhatIsWrong(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult missing = launcher.launch("calibrate", "plphp", "target/no-such-video.mp4");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.getErrorOutput().contains("no-such-video.mp4") && missing.getErrorOutput().contains("video file"),
                missing.getErrorOutput());

        Path junk = Files.createTempFile(Path.of("target"), "junk-", ".mp4");
        Files.write(junk, "definitely not a video".repeat(100).getBytes());
        LaunchResult notMedia = launcher.launch("calibrate", "plphp", junk.toString());
        assertEquals(2, notMedia.exitCode(), notMedia.getOutput() + notMedia.getErrorOutput());
        assertTrue(notMedia.getErrorOutput().contains(junk.getFileName().toString())
                && notMedia.getErrorOutput().contains("media file"), notMedia.getErrorOutput());

        Path wav = Files.createTempFile(Path.of("target"), "tone-", ".wav");
        float[] pcm = new float[16_000];
        for (int i = 0; i < pcm.length; i++) pcm[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16_000.0));
        WavIO.write(new PcmAudio(pcm, 16_000), wav, false);
        LaunchResult audio = launcher.launch("calibrate", "plphp", wav.toString());
        assertEquals(2, audio.exitCode(), audio.getOutput() + audio.getErrorOutput());
        assertTrue(audio.getErrorOutput().contains(wav.getFileName().toString())
                && audio.getErrorOutput().contains("no video stream"), audio.getErrorOutput());

        Path clip = TestMedia.clip(4);
        LaunchResult range = launcher.launch("calibrate", "plphp", clip.toString(), "--target-retention", "1.5");
        assertEquals(2, range.exitCode());
        assertTrue(range.getErrorOutput().contains("--target-retention 1.5"), range.getErrorOutput());

        LaunchResult notANumber = launcher.launch("calibrate", "plphp", clip.toString(), "--delta-r", "lots");
        assertEquals(2, notANumber.exitCode());
        assertTrue(notANumber.getErrorOutput().contains("--delta-r"), notANumber.getErrorOutput());
    }
}
