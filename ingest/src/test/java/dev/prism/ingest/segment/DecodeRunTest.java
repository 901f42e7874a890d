package dev.prism.ingest.segment;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The JVM-share diagnostics the decode bench reports next to its parallel rows. */
class DecodeRunTest {

  @Test
  void collectionCounterSeesACollection() {
    long[] before = DecodeRun.gc();
    System.gc();
    long[] after = DecodeRun.gc();
    assertTrue(after[0] > before[0], "a full collection is counted: " + before[0] + " -> " + after[0]);
    assertTrue(after[1] >= before[1]);
  }

  @Test
  void otherCpuIsProcessCpuBeyondTheDecodingThreads() {
    DecodeRun.Stats s = new DecodeRun.Stats(10, 10, 1.0, 2.5, 4, 2, 2, 1.0, 0.25, 2.0, 0.01, 0, 1.2, 1.2, 3, 0.02, 0.1, 1, 0);
    assertEquals(2.25, s.threadCpuSeconds(), 1e-12);
    assertEquals(0.25, s.otherCpuSeconds(), 1e-12);
  }
}
