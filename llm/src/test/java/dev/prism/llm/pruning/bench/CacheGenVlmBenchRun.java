package dev.prism.llm.pruning.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Runs {@link CacheGenVlmBench} from the reactor on request (-Dprism.bench.cachegen.run=true); minutes, not a unit test. */
@EnabledIfSystemProperty(named = "prism.bench.cachegen.run", matches = "true")
class CacheGenVlmBenchRun {
    @Test
    void run() {
        assertFalse(CacheGenVlmBench.run(null, System.out).isEmpty());
    }

    @Test
    void synthetic() {
        assertFalse(PruningBench.run(null, System.out).isEmpty());
    }
}
