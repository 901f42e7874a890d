package dev.prism.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.*;

import dev.prism.ingest.segment.Segment;
import dev.prism.ingest.segment.SegmentOptions;
import dev.prism.ingest.segment.SegmentReader;
import dev.prism.ingest.source.MediaSource;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * The bad-input corpus, generated once per test class, and a runner that feeds each case through
 * probe and segmentation and reports the outcome: a {@link MediaException} or segments with warnings.
 */
final class BadInputs implements AutoCloseable {

  /** What one case produced. */
  record Outcome(MediaException error, List<Segment> segments, List<String> warnings) {}

  final Path empty;
  final Path truncatedMp4;
  final Path truncatedMkv;
  final Path randomMp4;
  final Path corruptTs;
  final Path unsupportedWav;
  final Path bomb;
  final HttpFixture stalled;
  /**
   * Read timeout for the stalled source. Opening a stalled MP4 waits it out several times (probe,
   * demuxer reads and seeks), and the leak test repeats the case 100 times, so keep it short; a
   * loopback answer (the size preflight) still arrives well within it.
   */
  static final long STALL_MS = 60;

  BadInputs(Path dir) throws Exception {
    Random rnd = new Random(7);
    empty = Files.createFile(dir.resolve("empty.mp4"));
    byte[] mp4 = Files.readAllBytes(TestMedia.write(dir.resolve("good.mp4"), TestMedia.mp4().seconds(4)));
    truncatedMp4 = Files.write(dir.resolve("truncated.mp4"), java.util.Arrays.copyOf(mp4, mp4.length / 2));
    byte[] mkv = Files.readAllBytes(TestMedia.write(dir.resolve("good.mkv"), TestMedia.mp4().format("matroska").seconds(4)));
    truncatedMkv = Files.write(dir.resolve("truncated.mkv"), java.util.Arrays.copyOf(mkv, mkv.length * 55 / 100));
    byte[] random = new byte[64 * 1024];
    rnd.nextBytes(random);
    randomMp4 = Files.write(dir.resolve("random.mp4"), random);
    byte[] ts = Files.readAllBytes(TestMedia.write(dir.resolve("good.ts"), TestMedia.mp4().format("mpegts").seconds(8).gop(12)
        .video(AV_CODEC_ID_MPEG2VIDEO, 160, 120).audio(AV_CODEC_ID_MP2, 48000, 2)));
    byte[] junk = new byte[ts.length / 4];
    rnd.nextBytes(junk);
    System.arraycopy(junk, 0, ts, ts.length * 2 / 5, junk.length);
    corruptTs = Files.write(dir.resolve("corrupt-middle.ts"), ts);
    unsupportedWav = Files.write(dir.resolve("unknown-codec.wav"), wavWithTag(0x3039, 16000));
    bomb = staticVideo(dir.resolve("bomb.mkv"), 1024, 1024, 200);
    stalled = new HttpFixture(mp4, HttpFixture.Mode.STALL_BODY);
  }

  /** Every case by name, each returning its outcome. */
  Map<String, Supplier<Outcome>> cases() {
    Map<String, Supplier<Outcome>> m = new LinkedHashMap<>();
    m.put("empty", () -> run(() -> MediaSource.file(empty), SegmentOptions.defaults()));
    m.put("truncated mp4", () -> run(() -> MediaSource.file(truncatedMp4), SegmentOptions.defaults()));
    m.put("truncated mkv", () -> run(() -> MediaSource.file(truncatedMkv), SegmentOptions.defaults()));
    m.put("random bytes named .mp4", () -> run(() -> MediaSource.file(randomMp4), SegmentOptions.defaults()));
    m.put("corrupt middle", () -> run(() -> MediaSource.file(corruptTs), SegmentOptions.defaults()));
    m.put("unsupported codec", () -> run(() -> MediaSource.file(unsupportedWav), SegmentOptions.defaults()));
    m.put("absurd dimensions", () -> run(() -> MediaSource.file(bomb),
        SegmentOptions.defaults().withLimits(MediaLimits.defaults().withMaxDimensions(640, 640))));
    m.put("decompression bomb", () -> run(() -> MediaSource.file(bomb), SegmentOptions.defaults()
        .withFramesPerSecond(Double.POSITIVE_INFINITY).withShorterSide(32)
        .withLimits(MediaLimits.defaults().withDecodeBudget(16L << 20, 1L << 30, 1e5, 1L << 30))));
    m.put("stalled http", () -> run(() -> SourcePolicyTest.loopbackAllowed(STALL_MS).resolve(stalled.url("a.mp4")),
        SegmentOptions.defaults()));
    return m;
  }

  static Outcome run(Supplier<MediaSource> source, SegmentOptions options) {
    List<Segment> segs = new ArrayList<>();
    try (SegmentReader r = SegmentReader.open(source.get(), options)) {
      for (Segment s : r) {
        segs.add(s);
      }
      return new Outcome(null, segs, r.warnings());
    } catch (MediaException e) {
      return new Outcome(e, segs, List.of());
    }
  }

  /** A WAV header declaring an audio format tag FFmpeg has no decoder for, then noise. */
  static byte[] wavWithTag(int tag, int bytes) {
    ByteBuffer b = ByteBuffer.allocate(44 + bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + bytes).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) tag).putShort((short) 1).putInt(16000)
        .putInt(32000).putShort((short) 2).putShort((short) 16);
    b.put("data".getBytes()).putInt(bytes);
    byte[] noise = new byte[bytes];
    new Random(3).nextBytes(noise);
    b.put(noise);
    return b.array();
  }

  /** A flat grey video: tiny on disk (skipped macroblocks), huge once decoded. */
  static Path staticVideo(Path file, int w, int h, int frames) throws Exception {
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toString(), w, h, 0)) {
      r.setFormat("matroska");
      r.setVideoCodec(AV_CODEC_ID_MPEG4);
      r.setFrameRate(25);
      r.setGopSize(1000);
      r.setPixelFormat(org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P);
      r.start();
      Frame f = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
      ByteBuffer buf = (ByteBuffer) f.image[0];
      for (int i = 0; i < buf.capacity(); i++) {
        buf.put(i, (byte) 128);
      }
      for (int i = 0; i < frames; i++) {
        r.record(f, org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24);
      }
      r.stop();
    }
    return file;
  }

  @Override
  public void close() {
    stalled.close();
  }
}
