package dev.prism.audio.vad;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpeechSegmenterTest {
    private static final double F = 512 / 16000.0;

    private static float[] probs(int frames, int[]... speech) {
        float[] p = new float[frames];
        for (int[] s : speech) {
            for (int i = s[0]; i < s[1]; i++) {
                p[i] = 0.95f;
            }
        }
        return p;
    }

    @Test
    void regionsArePaddedAndShortBlipsDropped() {
        VadOptions o = new VadOptions(0.5f, 0.35f, 250, 100, 30, 0, 30);
        // 100..160 frames speech (1.92 s), a 3-frame blip (96 ms < 250 ms) at 300
        List<SpeechRegion> r = new SpeechSegmenter(o).regions(probs(400, new int[] {100, 160}, new int[] {300, 303}),
                400 * 512);
        assertEquals(1, r.size());
        assertEquals(100 * F - 0.03, r.get(0).start(), 1e-9);
        assertEquals(160 * F + 0.03, r.get(0).end(), 1e-9);
    }

    @Test
    void shortPausesDoNotSplitAndCloseRegionsMerge() {
        VadOptions noMerge = new VadOptions(0.5f, 0.35f, 250, 100, 30, 0, 30);
        // a 2-frame (64 ms) dip is shorter than min silence: one region
        assertEquals(1, new SpeechSegmenter(noMerge).regions(probs(200, new int[] {10, 50}, new int[] {52, 90}), 200 * 512).size());
        // a 6-frame (192 ms) pause splits without merging, but merges with a 300 ms merge gap
        float[] p = probs(200, new int[] {10, 50}, new int[] {56, 90});
        assertEquals(2, new SpeechSegmenter(noMerge).regions(p, 200 * 512).size());
        VadOptions merge = new VadOptions(0.5f, 0.35f, 250, 100, 30, 300, 30);
        List<SpeechRegion> m = new SpeechSegmenter(merge).regions(p, 200 * 512);
        assertEquals(1, m.size());
        assertEquals(10 * F - 0.03, m.get(0).start(), 1e-9);
    }

    @Test
    void hysteresisKeepsSpeechThroughMidProbabilities() {
        float[] p = probs(100, new int[] {10, 40});
        for (int i = 20; i < 30; i++) {
            p[i] = 0.4f; // between neg threshold and threshold: still speech
        }
        assertEquals(1, new SpeechSegmenter(VadOptions.defaults()).regions(p, 100 * 512).size());
    }

    @Test
    void longRegionsAreSplitUnderTheMaximumAtTheQuietestFrame() {
        VadOptions o = new VadOptions(0.5f, 0.35f, 250, 100, 0, 0, 4);
        float[] p = probs(600, new int[] {0, 600}); // 19.2 s of speech
        p[100] = 0.36f; // quietest frame inside the second half of the first 4 s window (frames 62..124)
        List<SpeechRegion> r = new SpeechSegmenter(o).regions(p, 600 * 512);
        assertTrue(r.size() >= 5, "regions " + r);
        assertEquals(100 * F + F / 2, r.get(0).end(), 1e-9);
        for (SpeechRegion x : r) {
            assertTrue(x.duration() <= 4 + 1e-9, "too long " + x);
        }
        for (int i = 1; i < r.size(); i++) {
            assertEquals(r.get(i - 1).end(), r.get(i).start(), 1e-9);
        }
        assertEquals(600 * F, r.get(r.size() - 1).end(), 1e-9);
    }

    @Test
    void silenceGivesNoRegions() {
        assertTrue(new SpeechSegmenter(VadOptions.defaults()).regions(new float[300], 300 * 512).isEmpty());
        float[] silence = new float[16000 * 3];
        assertTrue(new SpeechSegmenter(VadOptions.defaults())
                .regions(new EnergyVad().speechProbabilities(silence), silence.length).isEmpty());
    }
}
