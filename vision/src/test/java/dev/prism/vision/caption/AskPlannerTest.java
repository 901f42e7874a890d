package dev.prism.vision.caption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CacheGen's bandwidth/deadline level selection with text fallback (ALGORITHMS.md 4.4) on crafted numbers. */
class AskPlannerTest {
    // 1 MB/s: levels 1, 2, 3 transfer in 1, 2, 4 ms; decoding adds 1, 1.5, 2 ms -> 2, 3.5, 6 ms in all
    static final long[] BYTES = {1000, 2000, 4000};
    static final double[] DECODE = {1.0, 1.5, 2.0};
    static final double BW = 1e6;

    @Test
    void theHighestLevelThatFitsTheDeadlineIsChosenElseTheText() {
        assertEquals(3, AskPlanner.choose(10, BW, BYTES, DECODE, 50).level());
        assertEquals(3, AskPlanner.choose(Double.POSITIVE_INFINITY, BW, BYTES, DECODE, 50).level());
        AskPlanner.Plan two = AskPlanner.choose(5, BW, BYTES, DECODE, 50);
        assertEquals(AskPlanner.Path.CACHE, two.path());
        assertEquals(2, two.level());
        assertEquals(3.5, two.estimatedMs(), 1e-12);
        assertArrayEquals(new double[] {2, 3.5, 6}, two.cacheMs(), 1e-12);
        assertEquals(2, AskPlanner.choose(6, BW, BYTES, DECODE, 50).level(), "strictly below the deadline, as the reference");
        assertEquals(1, AskPlanner.choose(3, BW, BYTES, DECODE, 50).level());
        AskPlanner.Plan text = AskPlanner.choose(1.5, BW, BYTES, DECODE, 50);
        assertEquals(AskPlanner.Path.TEXT, text.path());
        assertEquals(0, text.level());
        assertEquals(50, text.estimatedMs(), "the fallback is taken even when it is slower than the deadline");
        // 10x the bandwidth: transfer shrinks to 0.1, 0.2, 0.4 ms, so level 3 (2.4 ms) fits a 3 ms deadline
        assertEquals(3, AskPlanner.choose(3, 10 * BW, BYTES, DECODE, 50).level());
    }

    @Test
    void levelsThatAreNotStoredAreSkippedAndBadInputIsRejected() {
        long[] onlyTwo = {0, 2000, 0};
        assertEquals(2, AskPlanner.choose(10, BW, onlyTwo, DECODE, 50).level());
        assertTrue(Double.isNaN(AskPlanner.choose(10, BW, onlyTwo, DECODE, 50).cacheMs()[2]));
        assertEquals(AskPlanner.Path.TEXT, AskPlanner.choose(3, BW, onlyTwo, DECODE, 50).path());
        assertThrows(CaptionException.class, () -> AskPlanner.choose(0, BW, BYTES, DECODE, 50));
        assertThrows(CaptionException.class, () -> AskPlanner.choose(5, 0, BYTES, DECODE, 50));
        assertThrows(CaptionException.class, () -> AskPlanner.choose(5, BW, new long[2], DECODE, 50));
        assertThrows(CaptionException.class, () -> AskPlanner.choose(5, BW, BYTES, DECODE, -1));
    }

    @Test
    void leveledContextsPackSizeAndUnpackEachLevel() {
        byte[] one = fakeContext(1, 30);
        byte[] three = fakeContext(3, 70);
        byte[] packed = ContextLevels.pack(Map.of(3, three, 1, one));
        assertArrayEquals(new long[] {30, 0, 70}, ContextLevels.sizes(packed));
        assertArrayEquals(one, ContextLevels.level(packed, 1));
        assertArrayEquals(three, ContextLevels.level(packed, 3));
        assertEquals(3, ContextLevels.best(packed));
        assertTrue(assertThrows(CaptionException.class, () -> ContextLevels.level(packed, 2)).getMessage()
                .contains("not level 2"));
        assertArrayEquals(new long[] {0, 0, 70}, ContextLevels.sizes(three), "a single-level context is accepted");
        assertThrows(CaptionException.class, () -> ContextLevels.level(Arrays.copyOf(packed, 40), 3));
    }

    /** The leading bytes of a single-level context: magic, version, flags, model id, level; then filler. */
    static byte[] fakeContext(int level, int length) {
        byte[] b = new byte[length];
        System.arraycopy(CaptionContext.MAGIC, 0, b, 0, 4);
        b[4] = 1;
        b[10] = (byte) level;
        return b;
    }
}
