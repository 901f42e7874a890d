package dev.prism.deploy.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.deploy.TestConfig;
import dev.prism.llm.pruning.GqaAggregation;
import dev.prism.vision.caption.CaptionOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** prism.vlm.* overrides the captioner's CaptionOptions.defaults(); bad values are refused naming the key. */
class VlmConfigTest {

    private static CaptionOptions options(Map<String, String> props) {
        return StageServices.captionOptions(TestConfig.of(props).vlm());
    }

    private static String refusal(Map<String, String> props) {
        return assertThrows(IllegalArgumentException.class, () -> options(props)).getMessage();
    }

    @Test
    void nothingSetKeepsTheLibraryDefaults() {
        assertEquals(CaptionOptions.defaults(), options(Map.of()));
    }

    @Test
    void everyPlphpKeyAndTheCacheGenLevelReachTheOptions() {
        CaptionOptions o = options(Map.of(
                "prism.vlm.plphp.alpha", "0.42",
                "prism.vlm.plphp.beta", "0.07",
                "prism.vlm.plphp.r", "0.35",
                "prism.vlm.plphp.delta-r", "0.15",
                "prism.vlm.plphp.first-layer", "3",
                "prism.vlm.plphp.aggregation", "max",
                "prism.vlm.plphp.enabled", "false",
                "prism.vlm.cachegen-level", "3",
                "prism.vlm.threads", "1"));
        assertEquals(0.42, o.plphpAlpha());
        assertEquals(0.07, o.plphpBeta());
        assertEquals(0.35, o.plphpR());
        assertEquals(0.15, o.plphpDeltaR());
        assertEquals(3, o.plphpFirstLayer());
        assertEquals(GqaAggregation.MAX, o.plphpAggregation());
        assertTrue(!o.plphp());
        assertEquals(3, o.cacheGenLevel());
        assertEquals(1, o.threads());
        CaptionOptions d = CaptionOptions.defaults();
        assertEquals(d.toBuilder().plphp(false).plphpParams(0.42, 0.07, 0.35, 0.15, 3, GqaAggregation.MAX)
                .cacheGenLevel(3).threads(1).build(), o, "nothing else changes");
    }

    @Test
    void alphaNotAboveBetaIsRefusedNamingBothKeys() {
        String m = refusal(Map.of("prism.vlm.plphp.alpha", "0.2", "prism.vlm.plphp.beta", "0.2"));
        assertTrue(m.contains("prism.vlm.plphp.alpha") && m.contains("prism.vlm.plphp.beta"), m);
        // beta alone above the default alpha (0.3) is the same mistake
        String alone = refusal(Map.of("prism.vlm.plphp.beta", "0.5"));
        assertTrue(alone.contains("prism.vlm.plphp.alpha (0.3)") && alone.contains("prism.vlm.plphp.beta (0.5)"), alone);
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheKey() {
        assertTrue(refusal(Map.of("prism.vlm.plphp.r", "1.5")).startsWith("prism.vlm.plphp.r is 1.5"));
        assertTrue(refusal(Map.of("prism.vlm.plphp.delta-r", "-0.1")).startsWith("prism.vlm.plphp.delta-r is -0.1"));
        assertTrue(refusal(Map.of("prism.vlm.plphp.alpha", "1.2")).startsWith("prism.vlm.plphp.alpha is 1.2"));
        assertTrue(refusal(Map.of("prism.vlm.plphp.first-layer", "-1")).startsWith("prism.vlm.plphp.first-layer is -1"));
        assertTrue(refusal(Map.of("prism.vlm.plphp.aggregation", "median")).contains("sum, max or mean"));
        assertTrue(refusal(Map.of("prism.vlm.cachegen-level", "4")).startsWith("prism.vlm.cachegen-level is 4"));
    }

    @Test
    void aMisspeltVlmKeyIsRejectedByTheConfigCheck() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> TestConfig.of(Map.of("prism.vlm.plphp.alpah", "0.4")));
        assertTrue(String.valueOf(e.getMessage()).contains("prism.vlm.plphp.alpah"), e.getMessage());
    }
}
