package dev.prism.codecs.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EncodecSegmenterTest {

    @Test
    void fortyEightKilohertzSegmentsAreOneSecondWithOnePercentOverlap() {
        EncodecSegmenter s = EncodecSegmenter.encodec48k();
        assertEquals(48_000, s.segmentLength());
        assertEquals(47_520, s.stride());
    }

    @Test
    void normalisedSegmentsReassembleToTheInput() {
        EncodecSegmenter s = new EncodecSegmenter(1000, 1.0, 0.01);   // 1000-sample segments, stride 990
        Random rnd = new Random(1);
        float[][] x = new float[2][3500];
        for (int t = 0; t < 3500; t++) {
            x[0][t] = (float) (rnd.nextGaussian() * (t < 1500 ? 0.01 : 0.5));
            x[1][t] = (float) (rnd.nextGaussian() * 0.2);
        }
        List<EncodecSegmenter.Segment> segs = s.split(x);
        assertEquals(4, segs.size(), "offsets 0, 990, 1980, 2970");
        EncodecSegmenter.Segment first = segs.get(0);
        double mean = 0;
        for (int t = 0; t < 1000; t++) {
            double mono = (x[0][t] + x[1][t]) / 2;
            mean += mono * mono;
        }
        assertEquals(Math.sqrt(mean / 1000) + 1e-8, first.scale(), 1e-6, "RMS of the channel mean");
        float[][] y = s.overlapAdd(segs, 3500);
        for (int c = 0; c < 2; c++) {
            for (int t = 0; t < 3500; t++) {
                assertEquals(x[c][t], y[c][t], 1e-5);
            }
        }
    }
}
