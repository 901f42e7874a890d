package dev.prism.ingest;

import static org.junit.jupiter.api.Assertions.*;

import dev.prism.ingest.probe.MediaProbe;
import dev.prism.ingest.probe.MediaProber;
import dev.prism.ingest.segment.DecodeMode;
import dev.prism.ingest.segment.DecodeRun;
import dev.prism.ingest.segment.Segment;
import dev.prism.ingest.segment.SegmentOptions;
import dev.prism.ingest.segment.VideoFrame;
import dev.prism.ingest.source.MediaSource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Codecs and GOP structures only the ffmpeg CLI can make here (see {@link CliMedia}): H.265 in MP4
 * and MKV, and H.264 with B-pyramids and open GOPs, where skipping non-reference frames and
 * reassembling keyframe chunks must still yield exactly the frames a full sequential decode picks.
 */
class CliCodecsTest {

  @TempDir Path dir;

  @Test
  void hevcInMp4AndMkvDecodesLikeTheReferenceDecoder() {
    Assumptions.assumeTrue(CliMedia.hasEncoder("libx265"), "ffmpeg CLI with libx265 not installed");
    // Open GOPs (x265's default) of 1 s, so the indexed path meets CRA keyframes and leading pictures.
    List<String> x265 = List.of("-c:v", "libx265", "-x265-params", "keyint=25:min-keyint=25:open-gop=1:log-level=error");
    for (String[] c : new String[][] {{"hevc.mp4", "aac"}, {"hevc.mkv", "flac"}}) {
      Path f = CliMedia.write(dir.resolve(c[0]), 320, 240, 4, x265, c[1]);
      MediaProbe p = new MediaProber().probe(f);
      assertEquals("hevc", p.video().orElseThrow().codec());
      assertEquals(c[1], p.audio().orElseThrow().codec());
      List<Segment> segs = sameFramesSequentialAndIndexed(f, 3);
      List<VideoFrame> frames = segs.stream().flatMap(s -> s.frames().stream()).toList();
      assertEquals(12, frames.size(), c[0]);
      for (double t : new double[] {1.0, 2.36}) {
        VideoFrame ours = frames.stream().filter(fr -> fr.ptsSeconds() >= t - 1e-3).findFirst().orElseThrow();
        assertEquals(t, ours.ptsSeconds(), 0.02);
        assertTrue(meanAbsDiff(ours.rgb(), CliMedia.referenceFrame(f, ours.ptsSeconds())) < 2.0, c[0] + " at " + t);
      }
      float[] a = segs.get(0).pcm16k();
      double rms = 0;
      for (int i = 4000; i < 12000; i++) {
        rms += a[i] * a[i];
      }
      assertEquals(0.5 / Math.sqrt(2), Math.sqrt(rms / 8000), 0.03, c[0] + " tone level");
    }
  }

  @Test
  void h264BPyramidOpenGopSamplingSkipsFramesYetPicksTheSameOnes() {
    Assumptions.assumeTrue(CliMedia.hasEncoder("libx264"), "ffmpeg CLI with libx264 not installed");
    // MP4 seeks by index; MPEG-TS by bisecting timestamps (seeks may land after the keyframe).
    for (String name : new String[] {"bpyr.mp4", "bpyr.ts"}) {
      Path f = CliMedia.write(dir.resolve(name), 320, 240, 8, List.of("-c:v", "libx264", "-preset", "veryfast",
          "-g", "50", "-bf", "3", "-x264-params", "b-pyramid=normal:open-gop=1:scenecut=0"), null);
      for (double fps : new double[] {1, 3, Double.POSITIVE_INFINITY}) {
        List<Segment> segs = sameFramesSequentialAndIndexed(f, fps);
        long n = segs.stream().mapToLong(s -> s.frames().size()).sum();
        assertEquals(Double.isInfinite(fps) ? 200 : (long) (8 * fps), n, name + " fps " + fps);
      }
      DecodeRun.Stats full = DecodeRun.video(MediaSource.file(f), DecodeMode.SEQUENTIAL, 1, 1,
          Double.POSITIVE_INFINITY, false, 0);
      DecodeRun.Stats sampled = DecodeRun.video(MediaSource.file(f), DecodeMode.INDEXED, 2, 1, 1, true, 0);
      assertEquals(200, full.decoded(), name);
      assertEquals(8, sampled.sampled(), name);
      // Non-reference B-frames and each GOP's tail after its last sampled frame are not decoded.
      assertTrue(sampled.decoded() < 0.7 * full.decoded(), name + " decoded " + sampled.decoded() + " of 200");
    }
  }

  @Test
  void h264WithBFramesDecodesInParallelFrameForFrameLikeOneThreadAndEveryFrameOnce() {
    Assumptions.assumeTrue(CliMedia.hasEncoder("libx264"), "ffmpeg CLI with libx264 not installed");
    // Closed 1 s GOPs with B-frames (x264's default GOP structure): 8 GOPs, 200 frames.
    Path f = CliMedia.write(dir.resolve("closed.mp4"), 320, 240, 8, List.of("-c:v", "libx264", "-preset", "veryfast",
        "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-bf", "3"), null);
    List<VideoFrame> frames = sameFramesSequentialAndIndexed(f, Double.POSITIVE_INFINITY).stream()
        .flatMap(s -> s.frames().stream()).toList();
    assertEquals(200, frames.size());
    for (int k = 0; k < frames.size(); k++) {
      assertEquals(k * 0.04, frames.get(k).ptsSeconds(), 1e-6, "in order with exact timestamps");
    }
    DecodeRun.Stats one = DecodeRun.video(MediaSource.file(f), DecodeMode.SEQUENTIAL, 1, 1, Double.POSITIVE_INFINITY, false, 0);
    DecodeRun.Stats par = DecodeRun.video(MediaSource.file(f), DecodeMode.INDEXED, 2, 1, Double.POSITIVE_INFINITY, false, 0);
    assertEquals(200, one.decoded());
    assertEquals(200, par.decoded(), "the chunks add no decoding: every frame decoded exactly once");
    assertEquals(8, par.chunks(), "one chunk per GOP");
    assertEquals(2, par.maxConcurrentChunks());
    assertTrue(par.workerCpuSeconds() > 0 && par.scanCpuSeconds() > 0 && par.idleCoreSeconds() > 0, par.toString());
  }

  @Test
  void mpegTsStartingLateIsRebasedSoVideoAndAudioStartAtZero() {
    Assumptions.assumeTrue(CliMedia.hasEncoder("libx264"), "ffmpeg CLI with libx264 not installed");
    Path f = CliMedia.write(dir.resolve("late.ts"), 160, 120, 3, List.of("-c:v", "libx264", "-preset", "veryfast"), "aac");
    MediaProbe p = new MediaProber().probe(f);
    assertTrue(p.startSeconds() > 1, "the TS muxer starts the clock late: " + p.startSeconds());
    for (DecodeMode mode : new DecodeMode[] {DecodeMode.SEQUENTIAL, DecodeMode.INDEXED}) {
      List<Segment> segs = SegmentReaderTest.readClean(f, SegmentOptions.defaults().withMode(mode, 2));
      assertEquals(2, segs.size(), mode.toString());
      List<VideoFrame> frames = segs.stream().flatMap(s -> s.frames().stream()).toList();
      // Media time 0 is the earliest stream's start: AAC's priming puts the audio a few ms first.
      assertEquals(3, frames.size(), mode.toString());
      assertTrue(frames.get(0).ptsSeconds() >= 0 && frames.get(0).ptsSeconds() < 0.05, mode + " " + frames.get(0).ptsSeconds());
      for (int k = 1; k < 3; k++) {
        assertEquals(k, frames.get(k).ptsSeconds() - frames.get(0).ptsSeconds(), 1e-6, mode.toString());
      }
      // The tone starts at media time 0 (AAC priming aside), not after the clock's 1.4 s offset.
      float[] a = segs.get(0).pcm16k();
      double rms = 0;
      for (int i = 1600; i < 8000; i++) {
        rms += a[i] * a[i];
      }
      assertEquals(0.5 / Math.sqrt(2), Math.sqrt(rms / 6400), 0.03, mode + " tone level in 0.1-0.5 s");
    }
  }

  /** Reads f at fps with SEQUENTIAL and INDEXED (2 workers): same timestamps and identical pixels. */
  static List<Segment> sameFramesSequentialAndIndexed(Path f, double fps) {
    SegmentOptions o = SegmentOptions.defaults().withFramesPerSecond(fps).withShorterSide(0);
    List<Segment> seq = SegmentReaderTest.readClean(f, o.withMode(DecodeMode.SEQUENTIAL, 1));
    List<Segment> par = SegmentReaderTest.readClean(f, o.withMode(DecodeMode.INDEXED, 2));
    List<VideoFrame> a = seq.stream().flatMap(s -> s.frames().stream()).toList();
    List<VideoFrame> b = par.stream().flatMap(s -> s.frames().stream()).toList();
    assertEquals(a.size(), b.size(), f.getFileName() + " fps " + fps);
    for (int k = 0; k < a.size(); k++) {
      assertEquals(a.get(k).ptsSeconds(), b.get(k).ptsSeconds(), 1e-9);
      assertArrayEquals(a.get(k).rgb(), b.get(k).rgb(), f.getFileName() + " frame " + k + " fps " + fps);
    }
    return seq;
  }

  static double meanAbsDiff(byte[] a, byte[] b) {
    assertEquals(a.length, b.length);
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return (double) sum / a.length;
  }
}
