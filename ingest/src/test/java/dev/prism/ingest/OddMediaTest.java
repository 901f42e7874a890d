package dev.prism.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.prism.ingest.probe.MediaProber;
import dev.prism.ingest.probe.StreamInfo;
import dev.prism.ingest.segment.Segment;
import dev.prism.ingest.segment.SegmentOptions;
import dev.prism.ingest.segment.SegmentReader;
import dev.prism.ingest.segment.VideoFrame;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs at the edges (issue 3, item 5): a 1x1 video and a 4097x4097 one (odd on both sides, made
 * with {@link IntraWriter} because javacv's recorder rounds odd widths up), decoded within the
 * default limits and refused with a LIMIT error naming the size when the configured limit is
 * lower; AV1; phone rotations of 180 and 270 degrees; sampling a variable-frame-rate stream.
 */
class OddMediaTest {

  @TempDir Path dir;

  @Test
  void onePixelVideoIsProbedAndSegmentedToOneRedPixel() {
    Path f = IntraWriter.write(dir.resolve("1x1.mkv"), "matroska", 1, 1, 3, 1);
    StreamInfo v = new MediaProber().probe(f).video().orElseThrow();
    assertEquals(1, v.width());
    assertEquals(1, v.height());
    List<VideoFrame> frames = SegmentReaderTest.readClean(f, SegmentOptions.defaults()).stream()
        .flatMap(s -> s.frames().stream()).toList();
    assertEquals(3, frames.size(), "1 fps over 3 s of 1 fps video");
    for (int i = 0; i < frames.size(); i++) {
      VideoFrame fr = frames.get(i);
      assertEquals(i, fr.ptsSeconds(), 1e-6);
      assertEquals(1, fr.width());
      assertEquals(1, fr.height());
      assertPixel(fr, 0, 0, IntraWriter.QUADRANTS[0]);
    }
  }

  @Test
  void oddSized4097SquareDecodesWithinLimitsAndIsRefusedOverThem() {
    Path f = IntraWriter.write(dir.resolve("4097.mkv"), "matroska", 4097, 4097, 2, 1);
    StreamInfo v = new MediaProber().probe(f).video().orElseThrow();
    assertEquals(4097, v.width());
    assertEquals(4097, v.height());
    List<Segment> segs = SegmentReaderTest.readClean(f, SegmentOptions.defaults().withAudio(false));
    List<VideoFrame> frames = segs.stream().flatMap(s -> s.frames().stream()).toList();
    assertEquals(2, frames.size());
    VideoFrame fr = frames.get(1);
    assertEquals(1.0, fr.ptsSeconds(), 1e-6);
    assertEquals(336, fr.width(), "shorter side scaled to the default 336");
    assertEquals(336, fr.height());
    // Quadrants survive scaling in place: red, green / blue, white.
    assertPixel(fr, 84, 84, IntraWriter.QUADRANTS[0]);
    assertPixel(fr, 252, 84, IntraWriter.QUADRANTS[1]);
    assertPixel(fr, 84, 252, IntraWriter.QUADRANTS[2]);
    assertPixel(fr, 252, 252, IntraWriter.QUADRANTS[3]);

    var limits = MediaLimits.defaults().withMaxDimensions(4096, 4096);
    MediaException probeError = assertThrows(MediaException.class, () -> new MediaProber(limits).probe(f));
    MediaException openError = assertThrows(MediaException.class,
        () -> SegmentReader.open(f, SegmentOptions.defaults().withLimits(limits)).close());
    for (MediaException e : List.of(probeError, openError)) {
      assertEquals(MediaException.Kind.LIMIT, e.kind());
      assertTrue(e.getMessage().contains("4097x4097") && e.getMessage().contains("4096x4096")
          && e.getMessage().contains("4097.mkv"), e.getMessage());
    }
  }

  @Test
  void av1InMkvAndWebmIsProbedAndSegmented() throws Exception {
    // The LGPL build has two AV1 encoders (libaom-av1, libsvtav1) and decodes with libaom or libdav1d.
    Object[][] cases = {
        {"av1-opus.mkv", TestMedia.mp4().format("matroska").videoName("libsvtav1"), java.util.Map.of("preset", "10", "svtav1-params", "rc=1")},
        {"av1-opus.webm", TestMedia.mp4().format("webm").videoName("libaom-av1"),
            java.util.Map.of("cpu-used", "8", "usage", "realtime", "row-mt", "0")}};
    for (Object[] c : cases) {
      TestMedia.Spec spec = ((TestMedia.Spec) c[1]).seconds(2).audio(0, 48000, 2).audioName("libopus");
      @SuppressWarnings("unchecked")
      Path f = TestMedia.write(dir.resolve((String) c[0]), spec, null, (java.util.Map<String, String>) c[2]);
      var p = new MediaProber().probe(f);
      assertEquals("av1", p.video().orElseThrow().codec(), (String) c[0]);
      assertEquals("opus", p.audio().orElseThrow().codec());
      List<Segment> segs = SegmentReaderTest.readClean(f, SegmentOptions.defaults().withShorterSide(0));
      List<VideoFrame> frames = segs.stream().flatMap(s -> s.frames().stream()).toList();
      assertEquals(2, frames.size(), (String) c[0]);
      assertEquals(0, TestMedia.frameIndex(frames.get(0).rgb(), 160, 120, 160));
      assertEquals(25, TestMedia.frameIndex(frames.get(1).rgb(), 160, 120, 160), (String) c[0]);
      assertEquals(32000, segs.get(0).pcm16k().length, 800);
    }
  }

  @Test
  void rotations180And270AreTurnedUpright() throws Exception {
    Path src = TestMedia.write(dir.resolve("src.mp4"), TestMedia.mp4().seconds(1).noAudio());
    var opts = SegmentOptions.defaults().withShorterSide(0).withAudio(false);
    VideoFrame plain = SegmentReaderTest.readAll(src, opts).get(0).frames().get(0);
    for (int cw : new int[] {180, 270}) {
      Path rot = TestMedia.remux(src, dir.resolve("rot" + cw + ".mp4"), cw, null);
      StreamInfo v = new MediaProber().probe(rot).video().orElseThrow();
      assertEquals(cw, v.rotationDegrees());
      VideoFrame up = SegmentReaderTest.readAll(rot, opts).get(0).frames().get(0);
      assertEquals(cw == 180 ? 160 : 120, up.width());
      assertEquals(cw == 180 ? 120 : 160, up.height());
      for (int[] xy : new int[][] {{3, 5}, {150, 7}, {80, 100}, {159, 119}}) {
        int x = xy[0];
        int y = xy[1];
        // Clockwise 180: (x, y) -> (w-1-x, h-1-y); clockwise 270: (x, y) -> (y, w-1-x).
        int dx = cw == 180 ? 159 - x : y;
        int dy = cw == 180 ? 119 - y : 159 - x;
        for (int c = 0; c < 3; c++) {
          assertEquals(plain.rgb()[(y * 160 + x) * 3 + c], up.rgb()[(dy * up.width() + dx) * 3 + c], cw + " at " + x + "," + y);
        }
      }
    }
  }

  @Test
  void variableFrameRateSamplingTakesTheFirstFrameAtOrAfterEachInstantInEveryMode() throws Exception {
    // Bursts of 33 ms frames with 100-400 ms holes, 6 s, keyframe every 12 frames.
    long[] times = new long[90];
    long t = 0;
    for (int i = 0; i < times.length; i++) {
      times[i] = t;
      t += i % 5 == 4 ? 100 + 100 * (i % 4) : 33;
    }
    Path f = TestMedia.write(dir.resolve("vfr.mkv"), TestMedia.mp4().format("matroska").noAudio().gop(12), times);
    for (double fps : new double[] {1, 2.5}) {
      List<Integer> expected = new java.util.ArrayList<>();
      for (int k = 0; k * 1000 / fps <= times[times.length - 1]; k++) {
        double instant = k * 1000 / fps;
        for (int i = 0; i < times.length; i++) {
          if (times[i] >= instant - 1) {
            if (!expected.contains(i)) {
              expected.add(i);
            }
            break;
          }
        }
      }
      for (var mode : new dev.prism.ingest.segment.DecodeMode[] {
          dev.prism.ingest.segment.DecodeMode.SEQUENTIAL, dev.prism.ingest.segment.DecodeMode.INDEXED}) {
        List<VideoFrame> frames = SegmentReaderTest.readClean(f, SegmentOptions.defaults().withShorterSide(0)
            .withFramesPerSecond(fps).withMode(mode, 2)).stream().flatMap(s -> s.frames().stream()).toList();
        assertEquals(expected.size(), frames.size(), mode + " fps " + fps);
        for (int k = 0; k < frames.size(); k++) {
          int i = expected.get(k);
          assertEquals(times[i] / 1000.0, frames.get(k).ptsSeconds(), 1e-6, mode + " fps " + fps + " sample " + k);
          assertEquals(i, TestMedia.frameIndex(frames.get(k).rgb(), 160, 120, 160), mode + " fps " + fps + " sample " + k);
        }
      }
    }
  }

  static void assertPixel(VideoFrame f, int x, int y, int[] rgb) {
    int o = (y * f.width() + x) * 3;
    for (int c = 0; c < 3; c++) {
      assertEquals(rgb[c], f.rgb()[o + c] & 0xff, 12, "channel " + c + " at " + x + "," + y);
    }
  }
}
