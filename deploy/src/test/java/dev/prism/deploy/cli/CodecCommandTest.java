package dev.prism.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.io.WavIO;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code prism codec encode|decode --model}: the neural (ONNX) codec pair from the CLI, and its stream's identity. */
@QuarkusMainTest
class CodecCommandTest {

    @Test
    void neuralEncodeDecodeRoundTripsAndTheMdctDecoderRefusesTheStream(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "codec-cli-");
        float[] pcm = new float[24_000 * 2];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (float) (0.4 * Math.sin(2 * Math.PI * 330 * i / 24_000.0));
        }
        Path wav = dir.resolve("in.wav");
        WavIO.write(new PcmAudio(pcm, 24_000), wav, false);

        LaunchResult enc = launcher.launch("codec", "encode", wav.toString(), dir.resolve("a.codes").toString(),
                "--model", "demo", "--codebooks", "8");
        assertEquals(0, enc.exitCode(), enc.getOutput() + enc.getErrorOutput());
        assertTrue(enc.getOutput().contains("8 codebooks"), enc.getOutput());

        LaunchResult dec = launcher.launch("codec", "decode", dir.resolve("a.codes").toString(),
                dir.resolve("out.wav").toString(), "--model", "demo");
        assertEquals(0, dec.exitCode(), dec.getOutput() + dec.getErrorOutput());
        PcmAudio back = WavIO.read(dir.resolve("out.wav"));
        assertEquals(24_000, back.sampleRate());
        assertTrue(Math.abs(back.samples().length - pcm.length) <= 24_000 / 50 * 2,
                "decoded " + back.samples().length + " samples for " + pcm.length);

        LaunchResult wrong = launcher.launch("codec", "decode", dir.resolve("a.codes").toString(),
                dir.resolve("wrong.wav").toString());
        assertNotEquals(0, wrong.exitCode());
        assertTrue(wrong.getErrorOutput().contains("a.codes") || wrong.getErrorOutput().contains("onnx"),
                wrong.getErrorOutput());
        assertTrue(!Files.exists(dir.resolve("wrong.wav")), "no garbage waveform is written");
    }

    @Test
    void threadCountDoesNotChangeTheBytesAndOutOfRangeValuesAreRefused(QuarkusMainLauncher launcher) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "codec-threads-");
        float[] pcm = new float[24_000 * 3];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (float) (0.3 * Math.sin(2 * Math.PI * (200 + i / 100.0) * i / 24_000.0) + 0.05 * r.nextGaussian());
        }
        Path wav = dir.resolve("in.wav");
        WavIO.write(new PcmAudio(pcm, 24_000), wav, false);
        for (String t : new String[] {"1", "2"}) {
            LaunchResult enc = launcher.launch("codec", "encode", wav.toString(), dir.resolve(t + ".codes").toString(),
                    "--codebooks", "8", "--threads", t, "--packet-frames", "75");
            assertEquals(0, enc.exitCode(), enc.getOutput() + enc.getErrorOutput());
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("1.codes")), Files.readAllBytes(dir.resolve("2.codes")),
                "the quantizer's thread count must not change the stream");
        LaunchResult bad = launcher.launch("codec", "encode", wav.toString(), dir.resolve("x.codes").toString(),
                "--threads", "0");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.getErrorOutput().contains("--threads 0"), bad.getErrorOutput());
        assertTrue(!Files.exists(dir.resolve("x.codes")), "nothing is written for a refused option");
    }
}
