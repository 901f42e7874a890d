package dev.prism.codecs.cachegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LevelSelectorTest {
    static final long[] BYTES = {1_000_000, 2_000_000, 4_000_000}; // levels 1, 2, 3

    @Test
    void picksTheHighestLevelThatMeetsThePerChunkDeadline() {
        // budget 2 s / 10 chunks = 0.2 s; level 3 needs 0.032 s at 1 Gbit/s
        assertEquals(3, LevelSelector.choose(BYTES, 1.0, 2.0, 10).level());
        assertEquals(0.032, LevelSelector.choose(BYTES, 1.0, 2.0, 10).seconds(), 1e-12);
        // at 0.1 Gbit/s: level 3 0.32 s (too slow), level 2 0.16 s fits
        assertEquals(2, LevelSelector.choose(BYTES, 0.1, 2.0, 10).level());
        // at 0.05 Gbit/s: level 2 0.32 s, level 1 0.16 s
        assertEquals(1, LevelSelector.choose(BYTES, 0.05, 2.0, 10).level());
    }

    @Test
    void fallsBackToTextWhenNoLevelFits() {
        LevelSelector.Choice c = LevelSelector.choose(BYTES, 0.01, 2.0, 10);
        assertEquals(LevelSelector.TEXT, c.level());
        assertEquals(LevelSelector.TEXT_RECOMPUTE_SECONDS, c.seconds());
        LevelSelector.Choice[] per = LevelSelector.choosePerChunk(new long[][] {BYTES, BYTES}, new double[] {1, 0.001}, 2);
        assertEquals(3, per[0].level());
        assertEquals(LevelSelector.TEXT, per[1].level());
    }
}
