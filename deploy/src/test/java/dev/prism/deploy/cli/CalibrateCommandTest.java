package dev.prism.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.io.WavIO;
import dev.prism.deploy.TestMedia;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code prism calibrate plphp}'s refusals, launched as the CLI (none of them loads the model; the calibration itself
 * is {@link CalibrateRunTest}).
 */
@QuarkusMainTest
class CalibrateCommandTest {

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
