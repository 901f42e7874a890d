package dev.prism.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.prism.ingest.probe.MediaProbe;
import dev.prism.ingest.probe.MediaProber;
import dev.prism.ingest.probe.StreamInfo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeTest {

  @TempDir Path dir;

  @Test
  void probeReportsContainerStreamsDurationAndConstantRate() throws Exception {
    Path f = TestMedia.write(dir.resolve("a.mp4"), TestMedia.mp4());
    MediaProbe p = new MediaProber().probe(f);
    assertTrue(p.container().contains("mp4"), p.container());
    assertEquals(3.0, p.durationSeconds(), 0.1);
    StreamInfo v = p.video().orElseThrow();
    assertEquals("mpeg4", v.codec());
    assertEquals(160, v.width());
    assertEquals(120, v.height());
    assertEquals(25.0, v.frameRate(), 0.01);
    assertFalse(v.variableFrameRate());
    assertEquals(0, v.rotationDegrees());
    StreamInfo a = p.audio().orElseThrow();
    assertEquals("aac", a.codec());
    assertEquals(44100, a.sampleRate());
    assertEquals(2, a.channels());
  }
}
