package dev.prism.audio.asr.whisper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Segments from timestamp pairs and where the next 30 s window starts. */
class WindowSegmentsTest {
    static final int TS = 1000;

    @Test
    void pairsCutSegmentsAndTheNextWindowStartsAtTheLastTimestamp() {
        // <|0.00|> a b <|1.00|><|1.00|> c <|2.40|><|2.40|> d   (d is cut by the window: decoded again)
        long[] t = {TS, 1, 2, TS + 50, TS + 50, 3, TS + 120, TS + 120, 4};
        WindowSegments.Split s = WindowSegments.split(t, TS, 500, 3000);
        assertEquals(2, s.segments().size());
        assertEquals(5.0, s.segments().get(0).start(), 1e-9, "window starts at frame 500 = 5 s");
        assertEquals(6.0, s.segments().get(0).end(), 1e-9);
        assertEquals(6.0, s.segments().get(1).start(), 1e-9);
        assertEquals(7.4, s.segments().get(1).end(), 1e-9);
        assertArrayEquals(new long[] {1, 2}, s.segments().get(0).textTokens(TS - 1));
        assertEquals(500 + 240, s.nextSeek(), "2.40 s = 120 steps of 2 frames");
        assertFalse(s.singleTimestampEnding());
    }

    @Test
    void aSingleTimestampEndingConsumesTheWholeWindow() {
        long[] t = {TS, 1, 2, TS + 50, TS + 50, 3, TS + 80};
        WindowSegments.Split s = WindowSegments.split(t, TS, 0, 1200);
        assertTrue(s.singleTimestampEnding());
        assertEquals(2, s.segments().size());
        assertEquals(1.6, s.segments().get(1).end(), 1e-9);
        assertEquals(1200, s.nextSeek());
    }

    @Test
    void withoutPairsOneSegmentSpansTheWindow() {
        WindowSegments.Split s = WindowSegments.split(new long[] {TS, 1, 2, 3}, TS, 0, 800);
        assertEquals(1, s.segments().size());
        assertEquals(8.0, s.segments().get(0).end(), 1e-9, "no closing timestamp: the window's audio");
        WindowSegments.Split u = WindowSegments.split(new long[] {TS + 10, 1, 2, TS + 90}, TS, 0, 800);
        assertEquals(1.8, u.segments().get(0).end(), 1e-9, "a last timestamp ends it");
        assertEquals(800, u.nextSeek());
    }
}
