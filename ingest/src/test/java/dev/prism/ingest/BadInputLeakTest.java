package dev.prism.ingest;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole bad-input suite 100 times and checks that resident memory stays bounded: every
 * native context opened on a failure path must be freed, or RSS would climb by megabytes per round.
 */
class BadInputLeakTest {

  static final int ROUNDS = Integer.getInteger("prism.ingest.leakRounds", 100);
  static final long MAX_GROWTH_KB = 96 * 1024;
  static final long MAX_LATE_GROWTH_KB = 24 * 1024;

  static long rssKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  @Test
  void badInputSuiteHundredTimesKeepsResidentMemoryFlat(@TempDir Path dir) throws Exception {
    try (BadInputs bad = new BadInputs(dir)) {
      Map<String, Supplier<BadInputs.Outcome>> cases = bad.cases();
      int warm = Math.min(10, ROUNDS / 2);
      long base = 0;
      long mid = 0;
      for (int round = 0; round < ROUNDS; round++) {
        if (round == warm) {
          System.gc();
          base = rssKb();
        }
        if (round == (warm + ROUNDS) / 2) {
          System.gc();
          mid = rssKb();
        }
        for (Map.Entry<String, Supplier<BadInputs.Outcome>> c : cases.entrySet()) {
          long t0 = System.nanoTime();
          BadInputs.Outcome o = c.getValue().get();
          if (round < 2) {
            System.out.printf("%s: %d ms%n", c.getKey(), (System.nanoTime() - t0) / 1_000_000);
          }
          assertTrue(o.error() != null || !o.segments().isEmpty(), c.getKey() + " produced nothing");
        }
      }
      System.gc();
      long end = rssKb();
      System.out.printf("RSS after warm-up %d KB, half-way %d KB, after %d rounds %d KB (growth %d KB)%n",
          base, mid, ROUNDS, end, end - base);
      // Allocator arenas and the heap settle during the first rounds; a leak keeps climbing, so the
      // second half must be nearly flat (100 KB per case would add about 40 MB there).
      assertTrue(end - mid < MAX_LATE_GROWTH_KB, "RSS grew by " + (end - mid) + " KB over the last "
          + (ROUNDS - (warm + ROUNDS) / 2) + " rounds");
      assertTrue(end - base < MAX_GROWTH_KB, "RSS grew by " + (end - base) + " KB over " + (ROUNDS - warm) + " rounds");
    }
  }
}
