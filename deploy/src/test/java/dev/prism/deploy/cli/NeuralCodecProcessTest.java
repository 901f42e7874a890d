package dev.prism.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.audio.codec.NeuralCodecs;
import dev.prism.audio.codec.OnnxLatentModel;
import dev.prism.codecs.CodecDecoder;
import dev.prism.codecs.CodecFiles;
import dev.prism.codecs.bitstream.CodesFormatException;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.deploy.TestMedia;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** prism.codec.model-dir switches the codec stage to the neural (ONNX) pair; its stream says which latent made it. */
@QuarkusMainTest
@TestProfile(NeuralCodecProcessTest.Neural.class)
class NeuralCodecProcessTest {

    public static class Neural implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("prism.codec.model-dir", "demo");
        }
    }

    @Test
    void codecTaskUsesTheNeuralPairAndIsLabelledDemo(QuarkusMainLauncher launcher) throws Exception {
        Path clip = TestMedia.clip(4);
        Path out = Files.createTempDirectory(Path.of("target"), "neural-out-");
        LaunchResult r = launcher.launch("process", clip.toString(), "--out", out.toString(), "--tasks", "codec");
        assertEquals(0, r.exitCode(), r.getOutput() + r.getErrorOutput());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals("done", report.at("/taskStatus/codec").asText(), report.toString());
        assertTrue(report.get("demo").asBoolean(), "untrained generated networks make demo output: " + report);

        Path codes = out.resolve("audio.codes");
        // the process ran in a temporary data dir: the demo pair is generated again (seeded, so the same networks)
        Path cache = Files.createTempDirectory(Path.of("target"), "neural-cache-");
        try (OnnxLatentModel m = OnnxLatentModel.load(NeuralCodecs.writeDemo(cache.resolve("onnx-demo")))) {
            CodecDecoder dec = NeuralCodecs.decoder(m, cache);
            PcmAudio pcm = CodecFiles.decode(codes, out.resolve("back.wav"), false, dec);
            assertEquals(m.sampleRate(), pcm.sampleRate());
            assertTrue(Math.abs(pcm.samples().length / (double) pcm.sampleRate() - 4.0) < 0.2,
                    "about 4 s decoded: " + pcm.samples().length);
        }
        assertThrows(CodesFormatException.class,
                () -> new CodecDecoder(h -> CodecFiles.resolve(h, null, cache)).decodeAll(Files.readAllBytes(codes)),
                "the MDCT-only decoder refuses a neural stream");
    }
}
