package dev.prism.audio.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.codecs.latent.LatentDecoder;
import dev.prism.codecs.latent.LatentEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxLatentTest {
    @TempDir
    static Path dir;
    static OnnxLatentModel model;

    @BeforeAll
    static void generate() throws IOException {
        TinyCodecNets.writeDemo24k(dir.resolve("demo"));
        model = OnnxLatentModel.load(dir.resolve("demo"), 1, 3);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static float[] signal(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.4 * Math.sin(2 * Math.PI * 220 * i / 24_000.0) + 0.1 * r.nextGaussian());
        }
        return x;
    }

    @Test
    void sidecarDescribesTheGeneratedStack() {
        OnnxCodecSpec s = model.codecSpec();
        assertEquals(320, s.hopSize());
        assertEquals(64, s.dim());
        // 1 + 6 (k7) + 3 + 7*2 + 9*8 + 15*40 (strided stages) + 2*320 (k3): 1336 samples.
        assertEquals(1336, s.receptiveField());
        assertEquals(1280, s.encoderContextSamples());
        assertTrue(s.demo());
        assertTrue(model.spec().startsWith("onnx:tiny-encodec-demo-24k:"), model.spec());
    }

    @Test
    void streamingPushInRandomChunksEqualsOneShot() {
        float[] x = signal(31_234, 1);
        float[][] oneShot = model.encodeAll(x);
        assertEquals((31_234 + 319) / 320, oneShot.length, "frames = ceil(T / hop)");
        Random r = new Random(7);
        for (int trial = 0; trial < 3; trial++) {
            LatentEncoder enc = model.encoder();
            List<float[]> frames = new ArrayList<>();
            int pos = 0;
            while (pos < x.length) {
                int len = Math.min(x.length - pos, 1 + r.nextInt(trial == 0 ? 200 : 4000));
                frames.addAll(enc.push(x, pos, len));
                pos += len;
            }
            frames.addAll(enc.finish());
            assertEquals(oneShot.length, frames.size());
            double maxDiff = 0;
            double maxAbs = 0;
            for (int f = 0; f < frames.size(); f++) {
                for (int d = 0; d < 64; d++) {
                    maxDiff = Math.max(maxDiff, Math.abs(frames.get(f)[d] - oneShot[f][d]));
                    maxAbs = Math.max(maxAbs, Math.abs(oneShot[f][d]));
                }
            }
            assertTrue(maxAbs > 0.05, "latent is not trivially zero: " + maxAbs);
            assertTrue(maxDiff <= 1e-5, "streamed frames differ from one-shot by " + maxDiff);
        }
    }

    @Test
    void nonCausalEncoderWaitsForItsLookaheadAndStillMatchesOneShot() throws IOException {
        Path d = dir.resolve("noncausal");
        OnnxCodecSpec spec = TinyCodecNets.write(d, "noncausal", 24_000, new int[] {2, 4, 5, 8}, 4, 16, 5L, false);
        assertTrue(spec.lookahead() > 0, "symmetric padding looks ahead");
        try (OnnxLatentModel m = OnnxLatentModel.load(d)) {
            float[] x = signal(20_000, 4);
            float[][] oneShot = m.encodeAll(x);
            LatentEncoder enc = m.encoder();
            // After exactly one hop the first frame is still waiting for its lookahead samples.
            assertEquals(0, enc.push(x, 0, 320).size());
            List<float[]> frames = new ArrayList<>();
            Random r = new Random(3);
            for (int pos = 320; pos < x.length; ) {
                int len = Math.min(x.length - pos, 1 + r.nextInt(1500));
                frames.addAll(enc.push(x, pos, len));
                pos += len;
            }
            frames.addAll(enc.finish());
            assertEquals(oneShot.length, frames.size());
            for (int f = 0; f < frames.size(); f++) {
                for (int k = 0; k < 16; k++) {
                    assertEquals(oneShot[f][k], frames.get(f)[k], 1e-5, "frame " + f);
                }
            }
        }
    }

    @Test
    void tooSmallContextWouldChangeTheFrames() throws IOException {
        // The receptive-field bookkeeping matters: a window without the history gives other frames.
        float[] x = signal(6_400, 2);
        float[][] full = model.encodeAll(x);
        float[][] cut = model.runEncoder(java.util.Arrays.copyOfRange(x, 3_200, 6_400));
        double diff = 0;
        for (int d = 0; d < 64; d++) {
            diff = Math.max(diff, Math.abs(full[10][d] - cut[0][d]));
        }
        assertTrue(diff > 1e-3, "first frame of a context-free window should differ, diff " + diff);
    }

    @Test
    void streamingDecodeEqualsOneShotAndYieldsFramesTimesHop() {
        float[][] z = model.encodeAll(signal(24_000, 3));
        float[] oneShot = model.decodeAll(z);
        assertEquals(z.length * 320, oneShot.length);
        LatentDecoder dec = model.decoder();
        float[] out = new float[0];
        for (float[] f : z) {
            out = concat(out, dec.decode(f));
        }
        out = concat(out, dec.finish());
        assertEquals(z.length * 320, out.length, "decode length = frames * hop");
        double maxDiff = 0;
        for (int i = 0; i < out.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(out[i] - oneShot[i]));
        }
        assertTrue(maxDiff <= 1e-5, "streamed decode differs from one-shot by " + maxDiff);
    }

    @Test
    void missingSidecarAndWrongNamesAreClearErrors() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        OnnxCodecException e = assertThrows(OnnxCodecException.class, () -> OnnxLatentModel.load(empty));
        assertTrue(e.getMessage().contains("codec.json"), e.getMessage());

        Path bad = dir.resolve("bad");
        TinyCodecNets.write(bad, "bad", 24_000, new int[] {2, 4}, 4, 8, 1);
        OnnxCodecSpec s = OnnxCodecSpec.read(bad);
        new OnnxCodecSpec(s.name(), true, s.sampleRate(), s.hopSize(), s.dim(), s.encoderFile(), "audio", "z",
                s.receptiveField(), 0, s.decoderFile(), s.decoderInput(), s.decoderOutput(), s.contextFrames(), 0, null)
                .write(bad);
        e = assertThrows(OnnxCodecException.class, () -> OnnxLatentModel.load(bad));
        assertTrue(e.getMessage().contains("'audio'") && e.getMessage().contains("[waveform]"), e.getMessage());

        Path wrongDim = dir.resolve("wrongdim");
        TinyCodecNets.write(wrongDim, "wd", 24_000, new int[] {2, 4}, 4, 8, 1);
        s = OnnxCodecSpec.read(wrongDim);
        new OnnxCodecSpec(s.name(), true, s.sampleRate(), s.hopSize(), 9, s.encoderFile(), s.encoderInput(),
                s.encoderOutput(), s.receptiveField(), 0, s.decoderFile(), s.decoderInput(), s.decoderOutput(),
                s.contextFrames(), 0, null).write(wrongDim);
        e = assertThrows(OnnxCodecException.class, () -> OnnxLatentModel.load(wrongDim));
        assertTrue(e.getMessage().contains("does not follow its sidecar"), e.getMessage());
    }

    static float[] concat(float[] a, float[] b) {
        float[] o = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }
}
