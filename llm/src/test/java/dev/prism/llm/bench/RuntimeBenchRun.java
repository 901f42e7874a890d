package dev.prism.llm.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Not part of the suite (name outside surefire's patterns): run with -Dtest=RuntimeBenchRun -Dprism.bench=true. */
class RuntimeBenchRun {
    @Test
    void runBenchmark() {
        Assumptions.assumeTrue(Boolean.getBoolean("prism.bench"), "benchmark runs only with -Dprism.bench=true");
        assertFalse(RuntimeBench.run(null, System.out).isEmpty());
    }
}
