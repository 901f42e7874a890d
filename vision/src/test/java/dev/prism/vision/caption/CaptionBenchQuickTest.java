package dev.prism.vision.caption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.vision.bench.VlmBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's quick mode on the tiny model: every row present with the same keys and finite figures. */
class CaptionBenchQuickTest {
    @Test
    void quickBenchmarkProducesTheIssueRows() {
        List<Map<String, Object>> rows = VlmBench.run(null, new PrintStream(new ByteArrayOutputStream()), true);
        assertEquals(30, rows.size());
        for (Map<String, Object> r : rows) {
            assertEquals(List.of("metric", "value", "baseline", "ratio", "note"), List.copyOf(r.keySet()));
            assertTrue(Double.isFinite((Double) r.get("value")), r.toString());
        }
        Map<String, Object> flops = find(rows, "prefill FLOPs");
        assertTrue((Double) flops.get("ratio") < 1, "pruned prefill costs less: " + flops);
        Map<String, Object> cacheGen = find(rows, "CacheGen bytes vs plain 8-bit, level 2");
        assertTrue((Double) cacheGen.get("ratio") < 1, "CacheGen below 8-bit: " + cacheGen);
        assertTrue((Double) find(rows, "CacheGen bytes vs plain 8-bit, level 1").get("value")
                < (Double) find(rows, "CacheGen bytes vs plain 8-bit, level 3").get("value"), "fewer bins, fewer bytes");
        assertTrue((Double) find(rows, "KV bytes after prefill (PLPHP, lower").get("value")
                < (Double) find(rows, "KV bytes after prefill (PLPHP)").get("value"), "a lower target keeps less");
        assertTrue((Double) find(rows, "CacheGen bytes vs plain 8-bit of the same pruned cache").get("ratio") < 1);
    }

    static Map<String, Object> find(List<Map<String, Object>> rows, String prefix) {
        return rows.stream().filter(r -> ((String) r.get("metric")).startsWith(prefix)).findFirst().orElseThrow();
    }
}
