package dev.prism.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.prism.ingest.segment.DecodeMode;
import dev.prism.ingest.segment.Segment;
import dev.prism.ingest.segment.SegmentOptions;
import dev.prism.ingest.segment.SegmentReader;
import dev.prism.ingest.segment.VideoFrame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentReaderTest {

  @TempDir Path dir;

  static List<Segment> readAll(Path f, SegmentOptions o) {
    List<Segment> out = new ArrayList<>();
    try (SegmentReader r = SegmentReader.open(f, o)) {
      for (Segment s : r) {
        out.add(s);
      }
    }
    return out;
  }

  /** Reads everything and checks that a clean input produced no warnings. */
  static List<Segment> readClean(Path f, SegmentOptions o) {
    List<Segment> out = readAll(f, o);
    List<String> w = out.stream().flatMap(s -> s.warnings().stream()).toList();
    assertTrue(w.isEmpty(), f.getFileName() + " " + o.mode() + ": " + w);
    return out;
  }

  @Test
  void segmentsAreAlignedAndCarrySampledFramesAndBothAudioRates() throws Exception {
    Path f = TestMedia.write(dir.resolve("a.mp4"), TestMedia.mp4().seconds(5));
    List<Segment> segs = readAll(f, SegmentOptions.defaults().withShorterSide(60));
    assertEquals(3, segs.size());
    for (int i = 0; i < segs.size(); i++) {
      Segment s = segs.get(i);
      assertEquals(i, s.index());
      assertEquals(2.0 * i, s.startSeconds(), 1e-9);
      for (VideoFrame v : s.frames()) {
        assertTrue(v.ptsSeconds() >= s.startSeconds() - 1e-9 && v.ptsSeconds() < s.endSeconds());
        assertEquals(80, v.width());
        assertEquals(60, v.height());
        assertEquals(80 * 60 * 3, v.rgb().length);
      }
    }
    assertEquals(5.0, segs.get(2).endSeconds(), 0.05);
    // 1 fps: instants 0,1,2,3,4 -> frames 0,25,50,75,100 at 25 fps.
    List<Integer> idx = new ArrayList<>();
    for (Segment s : segs) {
      for (VideoFrame v : s.frames()) {
        idx.add(TestMedia.frameIndex(v.rgb(), v.width(), v.height(), 160));
      }
    }
    assertEquals(List.of(0, 25, 50, 75, 100), idx);
    assertEquals(32000, segs.get(0).pcm16k().length);
    assertEquals(48000, segs.get(0).pcm24k().length);
    assertEquals(16000, segs.get(2).pcm16k().length, 400);
    // The 440 Hz tone survives resampling: zero crossings per second about 880.
    float[] a = segs.get(1).pcm16k();
    int zc = 0;
    for (int i = 1; i < a.length; i++) {
      if ((a[i - 1] < 0) != (a[i] < 0)) {
        zc++;
      }
    }
    assertEquals(1760, zc, 20);
  }

  @Test
  void sequentialAndIndexedParallelSelectIdenticalFrames() throws Exception {
    sameFramesEverywhere(TestMedia.write(dir.resolve("b.mkv"), TestMedia.mp4().format("matroska").seconds(8).gop(12).noAudio()));
  }

  @Test
  void withBFramesSkippingNonReferenceFramesStillSelectsIdenticalFrames() throws Exception {
    Path f = TestMedia.write(dir.resolve("bf.mp4"), TestMedia.mp4().seconds(8).gop(40).noAudio(), null,
        java.util.Map.of("bf", "2"));
    sameFramesEverywhere(f);
  }

  @Test
  void keyframeChunksDecodeConcurrentlyOnSeparateContextsAndReassembleInOrder() throws Exception {
    // 16 GOPs of 12 frames; about 4 chunks per worker, so two GOPs per chunk.
    Path f = TestMedia.write(dir.resolve("par.mkv"), TestMedia.mp4().format("matroska").video(AV_CODEC_ID_MPEG4, 640, 480)
        .fps(24).seconds(8).gop(12).noAudio());
    dev.prism.ingest.segment.DecodeRun.Stats s = dev.prism.ingest.segment.DecodeRun.video(
        dev.prism.ingest.source.MediaSource.file(f), DecodeMode.INDEXED, 2, 1, Double.POSITIVE_INFINITY, true, 0);
    assertEquals(192, s.decoded(), "every frame decoded once: chunks do not overlap");
    assertEquals(192, s.sampled());
    assertEquals(8, s.chunks());
    assertEquals(2, s.contexts(), "one demuxer + decoder per worker");
    assertEquals(2, s.maxConcurrentChunks(), "two chunks were being decoded at the same moment");
    // Reassembled in order: the painted frame numbers run 0..191 without gaps.
    List<Segment> segs = readClean(f, SegmentOptions.defaults().withFramesPerSecond(Double.POSITIVE_INFINITY)
        .withShorterSide(0).withMode(DecodeMode.INDEXED, 2));
    int expect = 0;
    for (Segment seg : segs) {
      for (VideoFrame v : seg.frames()) {
        assertEquals(expect % 256, TestMedia.frameIndex(v.rgb(), v.width(), v.height(), 640), "frame " + expect);
        expect++;
      }
    }
    assertEquals(192, expect);
  }

  @Test
  void chunksTooHeavyToOverlapDecodeWithFfmpegThreadsAndStillReassembleEveryFrameInOrder() throws Exception {
    // GOPs of 100 frames (B-frames too), every frame kept: a chunk holds more frames than the
    // look-ahead budget lets two chunks hold (bench: 96, reader: 150), so chunks run one at a time
    // and each decoder gets FFmpeg's frame threads instead of one thread.
    Path f = TestMedia.write(dir.resolve("long-gop.mp4"), TestMedia.mp4().seconds(12).gop(100).noAudio(), null,
        java.util.Map.of("bf", "2"));
    dev.prism.ingest.segment.DecodeRun.Stats s = dev.prism.ingest.segment.DecodeRun.video(
        dev.prism.ingest.source.MediaSource.file(f), DecodeMode.INDEXED, 2, -1, Double.POSITIVE_INFINITY, true, 0);
    assertTrue(s.chunks() >= 3, "one chunk per GOP at least: " + s.chunks());
    assertEquals(2, s.decoderThreads(), "two workers whose chunks cannot overlap: two FFmpeg threads per decoder");
    // FFmpeg's MPEG-4 decoder with frame threads hands out one extra frame when drained at a
    // chunk's end (with one thread it does not, nor does H.264 with either); the worker drops it
    // as outside its chunk, which the frame-by-frame comparison below proves.
    assertTrue(s.decoded() >= 300 && s.decoded() < 300 + s.chunks(), "every frame decoded: " + s.decoded());
    assertEquals(300, s.sampled());
    assertTrue(s.streamedFrames() > 0 && s.streamedFrames() <= 300,
        "the oldest chunk passes its frames on while decoding instead of holding them: " + s.streamedFrames());
    SegmentOptions all = SegmentOptions.defaults().withFramesPerSecond(Double.POSITIVE_INFINITY).withShorterSide(0);
    List<Segment> par = readClean(f, all.withMode(DecodeMode.INDEXED, 2));
    List<Segment> seq = readClean(f, all.withMode(DecodeMode.SEQUENTIAL, 1));
    assertEquals(seq.size(), par.size());
    int expect = 0;
    for (int i = 0; i < seq.size(); i++) {
      assertEquals(seq.get(i).frames().size(), par.get(i).frames().size(), "segment " + i);
      for (int k = 0; k < seq.get(i).frames().size(); k++) {
        VideoFrame v = par.get(i).frames().get(k);
        assertEquals(expect % 256, TestMedia.frameIndex(v.rgb(), v.width(), v.height(), 160), "frame " + expect);
        assertEquals(seq.get(i).frames().get(k).ptsSeconds(), v.ptsSeconds(), 1e-9);
        assertArrayEquals(seq.get(i).frames().get(k).rgb(), v.rgb());
        expect++;
      }
    }
    assertEquals(300, expect);
  }

  private void sameFramesEverywhere(Path f) {
    for (double fps : new double[] {1, 3, Double.POSITIVE_INFINITY}) {
      SegmentOptions base = SegmentOptions.defaults().withFramesPerSecond(fps).withShorterSide(0);
      List<Segment> seq = readClean(f, base.withMode(DecodeMode.SEQUENTIAL, 1));
      List<Segment> par = readClean(f, base.withMode(DecodeMode.INDEXED, 3));
      List<Segment> one = readClean(f, base.withMode(DecodeMode.INDEXED, 1));
      assertEquals(seq.size(), par.size());
      for (int i = 0; i < seq.size(); i++) {
        List<VideoFrame> a = seq.get(i).frames();
        List<VideoFrame> b = par.get(i).frames();
        List<VideoFrame> c = one.get(i).frames();
        assertEquals(a.size(), b.size(), "fps " + fps + " segment " + i);
        assertEquals(a.size(), c.size());
        for (int k = 0; k < a.size(); k++) {
          assertEquals(a.get(k).ptsSeconds(), b.get(k).ptsSeconds(), 1e-9);
          assertArrayEquals(a.get(k).rgb(), b.get(k).rgb());
          assertArrayEquals(a.get(k).rgb(), c.get(k).rgb());
        }
      }
      long total = seq.stream().mapToLong(s -> s.frames().size()).sum();
      long expect = Double.isInfinite(fps) ? 200 : (long) (8 * fps);
      assertEquals(expect, total, "fps " + fps);
    }
  }
}
