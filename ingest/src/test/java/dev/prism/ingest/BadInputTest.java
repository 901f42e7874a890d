package dev.prism.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.prism.ingest.MediaException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input ends in a clear error or a partial result with warnings; none hangs or crashes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

  BadInputs bad;
  Map<String, Supplier<BadInputs.Outcome>> cases;

  @BeforeAll
  void generate(@TempDir Path dir) throws Exception {
    bad = new BadInputs(dir);
    cases = bad.cases();
  }

  @AfterAll
  void stop() {
    bad.close();
  }

  private MediaException error(String name, Kind kind, String... words) {
    BadInputs.Outcome o = cases.get(name).get();
    assertNotNull(o.error(), name + " should fail, got " + o.segments().size() + " segments");
    assertEquals(kind, o.error().kind(), o.error().getMessage());
    for (String w : words) {
      assertTrue(o.error().getMessage().contains(w), name + ": '" + w + "' missing in: " + o.error().getMessage());
    }
    return o.error();
  }

  @Test
  void emptyFileIsRefused() {
    error("empty", Kind.EMPTY, "empty.mp4", "empty");
  }

  @Test
  void truncatedMp4WithoutIndexIsRefusedAsIncomplete() {
    error("truncated mp4", Kind.INVALID, "truncated.mp4", "complete");
  }

  @Test
  void truncatedMkvYieldsWhatWasThereAndSaysItIsTruncated() {
    BadInputs.Outcome o = cases.get("truncated mkv").get();
    assertNull(o.error(), () -> o.error().getMessage());
    assertFalse(o.segments().isEmpty());
    double end = o.segments().get(o.segments().size() - 1).endSeconds();
    assertTrue(end > 1 && end < 3.5, "ends at " + end);
    assertTrue(o.warnings().stream().anyMatch(w -> w.contains("truncated")), o.warnings().toString());
  }

  @Test
  void randomBytesNamedMp4AreRefused() {
    error("random bytes named .mp4", Kind.INVALID, "random.mp4", "not a recognisable");
  }

  @Test
  void corruptMiddleDecodesAroundTheDamageAndNamesTheGap() {
    BadInputs.Outcome o = cases.get("corrupt middle").get();
    assertNull(o.error(), () -> o.error().getMessage());
    long frames = o.segments().stream().mapToLong(s -> s.frames().size()).sum();
    assertTrue(frames >= 3 && frames <= 9, "frames " + frames);
    assertTrue(o.segments().get(0).frames().size() >= 1);
    assertTrue(o.segments().get(o.segments().size() - 1).endSeconds() > 6);
    assertTrue(o.warnings().stream().anyMatch(w -> w.matches(".*\\d+\\.\\d\\d s.*")), o.warnings().toString());
  }

  @Test
  void unsupportedCodecIsRefusedNamingIt() {
    error("unsupported codec", Kind.UNSUPPORTED, "unknown-codec.wav", "no decodable");
  }

  @Test
  void absurdDimensionsAreRefusedByTheLimit() {
    error("absurd dimensions", Kind.LIMIT, "1024x1024", "maxWidth");
  }

  @Test
  void decompressionBombStopsAtTheDecodeBudget() throws Exception {
    assertTrue(Files.size(bad.bomb) < 400_000, "bomb file " + Files.size(bad.bomb));
    error("decompression bomb", Kind.LIMIT, "bomb.mkv", "decompression bomb");
  }

  @Test
  void stalledHttpTimesOut() {
    error("stalled http", Kind.IO, "127.0.0.1", "timed out");
  }
}
