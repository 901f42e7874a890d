package dev.prism.audio.asr.whisper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Whisper's timestamp rules on crafted logits. Layout: text 0..9, eot 10, notimestamps 11, timestamps 12..111
 * (0.00 .. 1.98 s).
 */
class LogitFiltersTest {
    static final int EOT = 10;
    static final int NO_TS = 11;
    static final int TS = 12;
    static final int V = 112;

    static float[] flat() {
        float[] l = new float[V];
        Arrays.fill(l, 0f);
        return l;
    }

    /** Text tokens far more likely than the timestamps, so no timestamp is forced. */
    static float[] textLikely() {
        float[] l = flat();
        Arrays.fill(l, 0, EOT + 1, 10f);
        return l;
    }

    static boolean allowed(float[] l, int i) {
        return l[i] != Float.NEGATIVE_INFINITY;
    }

    static float[] rules(float[] l, long... sampled) {
        LogitFilters.timestampRules(l, sampled, EOT, NO_TS, TS, 50);
        return l;
    }

    @Test
    void firstTokenIsATimestampNoLaterThanTheInitialMaximum() {
        float[] l = rules(flat());
        for (int i = 0; i < TS; i++) {
            assertFalse(allowed(l, i), "text, eot and notimestamps are forbidden first: " + i);
        }
        assertTrue(allowed(l, TS) && allowed(l, TS + 50), "0.00 .. 1.00 s allowed");
        assertFalse(allowed(l, TS + 51), "after max_initial_timestamp 1.0 s forbidden");
    }

    @Test
    void timestampsComeInPairsAndNeverDecrease() {
        // <|0.10|> opens: the next token is text (a lone opening counts as a closed pair)
        float[] a = rules(textLikely(), TS + 5);
        assertTrue(allowed(a, 3) && allowed(a, EOT));
        for (int i = TS; i < V; i++) {
            assertFalse(allowed(a, i), "no timestamp right after the opening one");
        }
        // opening, text: a later timestamp may close (strictly later: non-zero length), text may go on
        float[] b = rules(textLikely(), TS + 5, 3);
        assertTrue(allowed(b, 4));
        assertFalse(allowed(b, TS + 5), "a segment cannot have zero length");
        assertTrue(allowed(b, TS + 6));
        // opening, text, closing: only a timestamp (>= the closing one) or end of text
        float[] c = rules(textLikely(), TS + 5, 3, TS + 20);
        for (int i = 0; i < EOT; i++) {
            assertFalse(allowed(c, i), "text cannot follow a closing timestamp");
        }
        assertTrue(allowed(c, EOT), "except directly before end of text");
        assertFalse(allowed(c, TS + 19), "timestamps never decrease");
        assertTrue(allowed(c, TS + 20), "the next segment may start where this one closed");
        // a full pair: text next
        float[] d = rules(textLikely(), TS + 5, 3, TS + 20, TS + 20);
        for (int i = TS; i < V; i++) {
            assertFalse(allowed(d, i));
        }
        assertTrue(allowed(d, 7));
        assertFalse(allowed(rules(flat(), TS + 5, 3), NO_TS), "notimestamps is never sampled with timestamps on");
    }

    @Test
    void timestampIsForcedWhenTheirTotalProbabilityBeatsTheBestTextToken() {
        // 98 allowed timestamps at 0 each vs one text token at 3: e^3 ~ 20 < 98 -> forced
        float[] l = flat();
        l[2] = 3f;
        rules(l, TS + 1, 5);
        for (int i = 0; i < TS; i++) {
            assertFalse(allowed(l, i), "text forbidden, timestamp forced: " + i);
        }
        // a text token at 6: e^6 ~ 403 > 98 remaining timestamps -> not forced
        float[] m = flat();
        m[2] = 6f;
        rules(m, TS + 1, 5);
        assertTrue(allowed(m, 2));
        assertEquals(6f, m[2]);
    }

    @Test
    void blankIsSuppressedOnlyAtTheFirstStepAndSuppressedTokensAlways() {
        float[] l = flat();
        LogitFilters.suppressBlank(l, new long[0], new int[] {0, EOT});
        assertFalse(allowed(l, 0));
        assertFalse(allowed(l, EOT));
        float[] m = flat();
        LogitFilters.suppressBlank(m, new long[] {TS}, new int[] {0, EOT});
        assertTrue(allowed(m, 0) && allowed(m, EOT));
        LogitFilters.suppressTokens(m, new int[] {4, 9});
        assertFalse(allowed(m, 4) || allowed(m, 9));
        assertTrue(allowed(m, 5));
    }
}
