package dev.prism.deploy.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.audio.Transcriber;
import dev.prism.audio.TranscriberOptions;
import dev.prism.audio.transcript.Transcript;
import dev.prism.deploy.config.PrismConfig;
import dev.prism.llm.testing.TinyWhisper;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * prism.audio.* picks the recognizer the service transcribes with (real config mapping, real Whisper load).
 * A Quarkus test only so that it shares the application's class loader: the tokenizer's native library can be
 * loaded by one class loader per JVM, and the other tests' application loads it first.
 */
@QuarkusTest
class RecognizerConfigTest {

    private static PrismConfig.Audio audio(Map<String, String> props) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(PrismConfig.class)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(props, "test", 500))
                .build();
        return config.getConfigMapping(PrismConfig.class).audio();
    }

    @Test
    void sphinxIsTheDefault() {
        TranscriberOptions o = AsrStage.transcriberOptions(audio(Map.of()));
        assertEquals(TranscriberOptions.Recognizer.SPHINX4, o.recognizer());
        assertNull(o.whisper());
    }

    @Test
    void whisperFromConfigTranscribesAndIsLabelledDemo(@TempDir Path dir) throws Exception {
        Path model = TinyWhisper.writeRecognizer(dir.resolve("whisper"), 7, true);
        TranscriberOptions o = AsrStage.transcriberOptions(audio(Map.of(
                "prism.audio.recognizer", "whisper",
                "prism.audio.whisper.model-dir", model.toString(),
                "prism.audio.whisper.language", "en",
                "prism.audio.whisper.temperatures", "0,0.5",
                "prism.audio.whisper.threads", "1")));
        assertEquals(TranscriberOptions.Recognizer.WHISPER, o.recognizer());
        assertEquals("en", o.whisper().language());
        assertEquals(List.of(0.0, 0.5), o.whisper().temperatures());
        assertEquals(1, o.whisper().threads());
        float[] pcm = new float[16_000 * 2];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / 16_000.0) * (1 + Math.sin(2 * Math.PI * 3 * i / 16_000.0)) / 2);
        }
        try (Transcriber t = new Transcriber(o)) {
            Transcript tr = t.transcribe(pcm);
            assertTrue(tr.recognizer().endsWith("-demo"), tr.recognizer());
            assertTrue(tr.flags().contains(Transcriber.FLAG_DEMO), tr.flags().toString());
        }
    }

    @Test
    void whisperWithoutModelDirOrUnknownRecognizerSaysWhatToSet() {
        IllegalArgumentException noDir = assertThrows(IllegalArgumentException.class,
                () -> AsrStage.transcriberOptions(audio(Map.of("prism.audio.recognizer", "whisper"))));
        assertTrue(noDir.getMessage().contains("prism.audio.whisper.model-dir"), noDir.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> AsrStage.transcriberOptions(audio(Map.of("prism.audio.recognizer", "kaldi"))));
        assertTrue(unknown.getMessage().contains("sphinx4 or whisper"), unknown.getMessage());
    }
}
