package dev.prism.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.prism.ingest.segment.Segment;
import dev.prism.ingest.segment.SegmentOptions;
import dev.prism.ingest.segment.SegmentReader;
import dev.prism.ingest.source.MediaSource;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segments stream out while decoding continues: an MPEG-TS is pushed through a named pipe, and the
 * rest of it is withheld until the first segment has arrived. A reader that needed the whole input
 * first could not produce it.
 */
class LiveSourceTest {

  @Test
  void firstSegmentArrivesWhileTheRestOfTheInputIsStillWithheld(@TempDir Path dir) throws Exception {
    byte[] ts = Files.readAllBytes(TestMedia.write(dir.resolve("src.ts"), TestMedia.mp4().format("mpegts").seconds(12)));
    Path fifo = dir.resolve("live.ts");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    CountDownLatch firstSegment = new CountDownLatch(1);
    AtomicBoolean releasedByReader = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      try (OutputStream out = new FileOutputStream(fifo.toFile())) {
        int part = ts.length * 7 / 10;
        out.write(ts, 0, part);
        out.flush();
        releasedByReader.set(firstSegment.await(120, TimeUnit.SECONDS));
        out.write(ts, part, ts.length - part);
      } catch (Exception e) {
        // The reader went away; the assertions below report it.
      }
    });
    writer.setDaemon(true);
    writer.start();
    MediaSource live = new MediaSource("file:" + fifo, "live.ts", Map.of(), -1, true);
    List<Segment> segs = new ArrayList<>();
    try (SegmentReader r = SegmentReader.open(live, SegmentOptions.defaults())) {
      Segment first = r.next();
      firstSegment.countDown();
      assertNotNull(first);
      assertEquals(2, first.frames().size());
      assertEquals(32000, first.pcm16k().length);
      segs.add(first);
      for (Segment s; (s = r.next()) != null; ) {
        segs.add(s);
      }
    }
    writer.join(10_000);
    assertTrue(releasedByReader.get(), "the first segment needed the withheld part of the input");
    assertEquals(6, segs.size());
    assertEquals(12, segs.stream().mapToInt(s -> s.frames().size()).sum());
    assertEquals(12.0, segs.get(5).endSeconds(), 0.1);
  }
}
