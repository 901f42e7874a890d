package dev.prism.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.prism.ingest.bench.DecodeBench;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The bench's quick mode runs end to end and yields comparable rows (no timing is asserted). */
class DecodeBenchTest {

  @Test
  void quickModeProducesRowsWithBaselineAndRatio() {
    Assumptions.assumeTrue(DecodeBench.cliAvailable(), "ffmpeg CLI not installed (apt-get install -y ffmpeg)");
    List<Map<String, Object>> rows = DecodeBench.run(null, System.out, true);
    assertEquals(13, rows.size());
    for (Map<String, Object> r : rows) {
      assertEquals(rows.get(0).keySet(), r.keySet());
      assertTrue(((Number) r.get("ratio")).doubleValue() > 0, r.toString());
    }
    assertEquals(120L, rows.get(0).get("frames"), "4 s at 30 fps decoded in full");
    for (int i = 9; i < 12; i++) {
      assertEquals(4L, rows.get(i).get("frames"), "1 fps sampling of 4 s takes 4 frames");
    }
    assertEquals(120L, rows.get(3).get("frames"), "automatic threads: every frame decoded once");
    assertEquals(10L, rows.get(12).get("frames"), "20 s in 2 s segments");
  }
}
