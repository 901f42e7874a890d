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

  @Test
  void variableFrameRateIsDetectedFromPacketTimes() throws Exception {
    long[] times = new long[60];
    long t = 0;
    for (int i = 0; i < times.length; i++) {
      times[i] = t;
      t += i % 3 == 0 ? 100 : 33;
    }
    Path vfr = TestMedia.write(dir.resolve("vfr.mkv"), TestMedia.mp4().format("matroska").noAudio(), times);
    assertTrue(new MediaProber().probe(vfr).video().orElseThrow().variableFrameRate());
    Path cfr = TestMedia.write(dir.resolve("cfr.mkv"), TestMedia.mp4().format("matroska").noAudio());
    assertFalse(new MediaProber().probe(cfr).video().orElseThrow().variableFrameRate());
  }

  @Test
  void rotationComesFromTheDisplayMatrixAndFramesAreTurnedUpright() throws Exception {
    Path src = TestMedia.write(dir.resolve("src.mp4"), TestMedia.mp4().seconds(1).noAudio());
    Path rot = TestMedia.remux(src, dir.resolve("rot.mp4"), 90, null);
    StreamInfo v = new MediaProber().probe(rot).video().orElseThrow();
    assertEquals(90, v.rotationDegrees());
    assertEquals(120, v.displayWidth());
    assertEquals(160, v.displayHeight());
    var opts = dev.prism.ingest.segment.SegmentOptions.defaults().withShorterSide(0);
    var upright = SegmentReaderTest.readAll(rot, opts).get(0).frames().get(0);
    var plain = SegmentReaderTest.readAll(src, opts).get(0).frames().get(0);
    assertEquals(120, upright.width());
    assertEquals(160, upright.height());
    // Clockwise 90: source (x, y) lands at (h - 1 - y, x).
    for (int[] xy : new int[][] {{3, 5}, {150, 7}, {80, 100}}) {
      int x = xy[0];
      int y = xy[1];
      int s = (y * 160 + x) * 3;
      int d = (x * 120 + (120 - 1 - y)) * 3;
      for (int c = 0; c < 3; c++) {
        assertEquals(plain.rgb()[s + c], upright.rgb()[d + c]);
      }
    }
  }

  @Test
  void attachedPictureIsCoverArtNotVideo() throws Exception {
    Path jpg = TestMedia.write(dir.resolve("cover.jpg"), TestMedia.mp4().format("mjpeg").noAudio()
        .video(AV_CODEC_ID_MJPEG, 64, 64).fps(1).seconds(1));
    Path mp3 = TestMedia.write(dir.resolve("a.mp3"), TestMedia.mp4().format("mp3").noVideo().audioName("libmp3lame"));
    Path tagged = TestMedia.remux(mp3, dir.resolve("tagged.mp3"), 0, java.nio.file.Files.readAllBytes(jpg));
    MediaProbe p = new MediaProber().probe(tagged);
    assertTrue(p.hasCoverArt());
    assertTrue(p.video().isEmpty());
    assertEquals("mp3", p.audio().orElseThrow().codec());
    var segs = SegmentReaderTest.readAll(tagged, dev.prism.ingest.segment.SegmentOptions.defaults());
    assertTrue(segs.stream().allMatch(s -> s.frames().isEmpty()));
    assertEquals(3 * 16000, segs.stream().mapToInt(s -> s.pcm16k().length).sum(), 1200);
  }

  @Test
  void limitsRefuseOversizeLongAndManyStreamInputsWithAClearMessage() throws Exception {
    Path f = TestMedia.write(dir.resolve("a.mp4"), TestMedia.mp4());
    MediaException dims = assertThrows(MediaException.class,
        () -> new MediaProber(MediaLimits.defaults().withMaxDimensions(100, 100)).probe(f));
    assertEquals(MediaException.Kind.LIMIT, dims.kind());
    assertTrue(dims.getMessage().contains("160x120") && dims.getMessage().contains("a.mp4")
        && dims.getMessage().contains("maxWidth"), dims.getMessage());
    MediaException dur = assertThrows(MediaException.class,
        () -> new MediaProber(MediaLimits.defaults().withMaxDurationSeconds(1)).probe(f));
    assertTrue(dur.getMessage().contains("duration"), dur.getMessage());
    MediaException streams = assertThrows(MediaException.class,
        () -> new MediaProber(MediaLimits.defaults().withMaxStreams(1)).probe(f));
    assertTrue(streams.getMessage().contains("2 streams"), streams.getMessage());
    MediaException size = assertThrows(MediaException.class,
        () -> new MediaProber(MediaLimits.defaults().withMaxFileBytes(100)).probe(f));
    assertTrue(size.getMessage().contains("bytes"), size.getMessage());
  }
}
