package dev.prism.codecs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.codecs.metrics.AudioMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WavIOTest {

    static float[] tone(int n, double hz, int sr) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / sr));
        }
        return x;
    }

    @Test
    void pcm16AndFloatRoundTrip() throws Exception {
        float[] x = tone(1000, 440, 24_000);
        PcmAudio a = new PcmAudio(x, 24_000);
        PcmAudio f = WavIO.read(WavIO.toBytes(a, true), "f.wav");
        assertEquals(24_000, f.sampleRate());
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], f.samples()[i], 0f);
        }
        PcmAudio p = WavIO.read(WavIO.toBytes(a, false), "p.wav");
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], p.samples()[i], 1.0 / 32767);
        }
    }

    @Test
    void notAWavFileIsAClearError() {
        WavFormatException e = assertThrows(WavFormatException.class, () -> WavIO.read(new byte[] {1, 2, 3}, "song.mp3"));
        assertTrue(e.getMessage().contains("song.mp3"), e.getMessage());
    }

    @Test
    void resamplingKeepsAnInBandToneAndTheDuration() {
        float[] x = tone(16_000, 440, 16_000);
        PcmAudio up = Resampler.resample(new PcmAudio(x, 16_000), 24_000);
        assertEquals(24_000, up.samples().length);
        float[] ref = tone(24_000, 440, 24_000);
        // Ignore the filter's edge transients.
        float[] a = java.util.Arrays.copyOfRange(ref, 200, 23_800);
        float[] b = java.util.Arrays.copyOfRange(up.samples(), 200, 23_800);
        assertTrue(AudioMetrics.siSnr(a, b) > 40, "SI-SNR " + AudioMetrics.siSnr(a, b));
    }

    @Test
    void readsTheSharedStereo48kClipAsMono() throws Exception {
        String assets = System.getProperty("prism.assets", System.getenv("PRISM_ASSETS"));
        org.junit.jupiter.api.Assumptions.assumeTrue(assets != null && !assets.isBlank());
        Path p = Path.of(assets, "media", "music-codec", "test_48k.wav");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(p));
        PcmAudio a = WavIO.read(p);
        assertEquals(48_000, a.sampleRate());
        assertEquals(15.0, a.seconds(), 0.5);
    }
}
