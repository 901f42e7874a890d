package dev.prism.audio.vad;

import dev.prism.audio.Assets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VadTest {
    private static SileroVad silero;
    private static float[] test60;
    private static float[] sileroProbs;

    @BeforeAll
    static void load() {
        silero = new SileroVad(Assets.sileroModel());
        test60 = Assets.wav("silero_test_60s.wav");
        sileroProbs = silero.speechProbabilities(test60);
    }

    @AfterAll
    static void close() {
        silero.close();
    }

    private static double[] frameDb(float[] pcm) {
        int frames = (pcm.length + 511) / 512;
        double[] db = new double[frames];
        for (int f = 0; f < frames; f++) {
            double s = 0;
            int n = Math.min(512, pcm.length - f * 512);
            for (int i = 0; i < n; i++) {
                s += pcm[f * 512 + i] * pcm[f * 512 + i];
            }
            db[f] = 10 * Math.log10(s / 512 + 1e-12);
        }
        return db;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    @Test
    void sileroIsHighOnLoudFramesAndLowOnQuietOnes() {
        assertEquals((test60.length + 511) / 512, sileroProbs.length);
        double[] db = frameDb(test60);
        double[] sorted = db.clone();
        Arrays.sort(sorted);
        double loud = sorted[(int) (0.7 * sorted.length)];
        double quiet = sorted[(int) (0.15 * sorted.length)];
        double[] inWords = java.util.stream.IntStream.range(0, db.length).filter(i -> db[i] >= loud)
                .mapToDouble(i -> sileroProbs[i]).toArray();
        double[] inPauses = java.util.stream.IntStream.range(0, db.length).filter(i -> db[i] <= quiet)
                .mapToDouble(i -> sileroProbs[i]).toArray();
        assertTrue(median(inWords) > 0.97, "median prob in loud frames " + median(inWords));
        assertTrue(median(inPauses) < 0.1, "median prob in quiet frames " + median(inPauses));
    }

    @Test
    void sileroOnLibrivoxClipRisesWithTheFirstWordAndStaysHigh() {
        float[] p = silero.speechProbabilities(Assets.wav(Assets.LIBRIVOX[0] + ".wav"));
        for (int i = 0; i < 7; i++) {
            assertTrue(p[i] < 0.1, "leading silence frame " + i + " = " + p[i]);
        }
        double[] word = new double[30];
        for (int i = 0; i < 30; i++) {
            word[i] = p[10 + i];
        }
        assertTrue(median(word) > 0.98, "first word median " + median(word));
    }

    @Test
    void energyAndSileroRegionsAgreeOnTheSixtySecondTest() {
        SpeechSegmenter seg = new SpeechSegmenter(VadOptions.silero());
        List<SpeechRegion> s = seg.regions(sileroProbs, test60.length);
        List<SpeechRegion> e = seg.regions(new EnergyVad().speechProbabilities(test60), test60.length);
        assertTrue(s.size() >= 10 && s.size() <= 25, "silero regions " + s.size());
        assertTrue(e.size() >= 10 && e.size() <= 25, "energy regions " + e.size());
        double inter = 0;
        for (SpeechRegion a : s) {
            for (SpeechRegion b : e) {
                inter += a.overlap(b);
            }
        }
        double sTotal = s.stream().mapToDouble(SpeechRegion::duration).sum();
        double eTotal = e.stream().mapToDouble(SpeechRegion::duration).sum();
        double iou = inter / (sTotal + eTotal - inter);
        assertTrue(iou > 0.85, "time IoU " + iou);
        // real pauses exist: speech is well under the whole minute
        assertTrue(sTotal > 35 && sTotal < 57, "silero speech seconds " + sTotal);
        for (SpeechRegion a : s) {
            if (a.duration() > 1) {
                double covered = e.stream().mapToDouble(b -> b.overlap(a)).sum();
                assertTrue(covered > 0.7 * a.duration(), "silero region " + a + " is mostly outside energy regions");
            }
        }
    }
}
