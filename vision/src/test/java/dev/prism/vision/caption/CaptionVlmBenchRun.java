package dev.prism.vision.caption;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.prism.vision.bench.VlmBench;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Not part of the suite: the full benchmark, with -Dtest=CaptionVlmBenchRun -Dprism.bench=true. */
class CaptionVlmBenchRun {
    @Test
    void runBenchmark() {
        Assumptions.assumeTrue(Boolean.getBoolean("prism.bench"), "benchmark runs only with -Dprism.bench=true");
        List<Map<String, Object>> rows = VlmBench.run(null, System.out);
        rows.forEach(System.out::println);
        assertFalse(rows.isEmpty());
    }
}
