package dev.prism.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.deploy.TestConfig;
import dev.prism.deploy.TestMedia;
import dev.prism.deploy.stages.StageServices;
import dev.prism.vision.caption.CaptionOptions;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code prism calibrate plphp} (ALGORITHMS.md 2.3) on decoded video with the demo VLM. The command bean runs inside
 * the Quarkus test application rather than as a launched CLI because the tokenizer's native library can be loaded by
 * one class loader per JVM, and the suite's other tests load it inside Quarkus (see FollowUpsTest).
 */
@QuarkusTest
class CalibrateRunTest {
    @Inject
    CalibrateCommand.Plphp plphp;

    @Test
    void calibrationPrintsAlphaAboveBetaAndConfigLinesTheServiceTakesBack() throws Exception {
        Path clip = TestMedia.clip(4);
        Path json = Files.createTempFile(Path.of("target"), "plphp-", ".json");
        new CommandLine(plphp).parseArgs(clip.toString(), "--segment-seconds", "1",
                "--frames-per-segment", "1", "--prompt", "What moves?", "--prompt", "Describe the colours.",
                "--sweep", "--target-retention", "0.5", "--json", json.toString());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = plphp.call();
        } finally {
            System.setOut(stdout);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
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
            int layers = c.get("attentive").asInt() + c.get("balanced").asInt() + c.get("indifferent").asInt();
            assertTrue(c.get("attentive").asInt() > 0 && c.get("indifferent").asInt() > 0, c.toString());
            assertEquals(doc.get("calibrations").get(0).get("attentive").asInt(), c.get("attentive").asInt(),
                    "one pass of prefills: the classes do not depend on delta-r");
            assertTrue(layers % 8 == 0, "every (prefill, layer >= K) pair is in one class: " + layers);
        }

        // fed back as configuration, the printed lines are accepted and reach the captioner's options
        CaptionOptions o = StageServices.captionOptions(TestConfig.of(lines).vlm());
        assertEquals(alpha, o.plphpAlpha());
        assertEquals(beta, o.plphpBeta());
        assertEquals(Double.parseDouble(lines.get("prism.vlm.plphp.r")), o.plphpR());
        assertEquals(0.1, o.plphpDeltaR());
        assertEquals(Integer.parseInt(lines.get("prism.vlm.plphp.first-layer")), o.plphpFirstLayer());
    }

}
