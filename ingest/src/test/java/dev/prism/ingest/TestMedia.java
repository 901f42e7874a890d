package dev.prism.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Generates test media with FFmpeg (bytedeco recorder): a moving square over a gradient, the frame
 * number written into two flat blocks (top-left, 16 levels each: index = 16*hi + lo) so tests can
 * tell which source frame they got, and a 440 Hz tone.
 */
public final class TestMedia {

  /** What to generate. videoCodec 0 = no video, audioCodec 0 = no audio. */
  public record Spec(String format, int videoCodec, int width, int height, double fps, double seconds,
      int audioCodec, int sampleRate, int channels, int gop, String videoCodecName, String audioCodecName) {
    public Spec video(int codec, int w, int h) {
      return new Spec(format, codec, w, h, fps, seconds, audioCodec, sampleRate, channels, gop, null, videoCodecName == null ? audioCodecName : audioCodecName);
    }
    public Spec videoName(String name) {
      return new Spec(format, videoCodec, width, height, fps, seconds, audioCodec, sampleRate, channels, gop, name, audioCodecName);
    }
    public Spec audio(int codec, int rate, int ch) {
      return new Spec(format, videoCodec, width, height, fps, seconds, codec, rate, ch, gop, videoCodecName, null);
    }
    public Spec audioName(String name) {
      return new Spec(format, videoCodec, width, height, fps, seconds, audioCodec, sampleRate, channels, gop, videoCodecName, name);
    }
    public Spec noAudio() {
      return new Spec(format, videoCodec, width, height, fps, seconds, 0, 0, 0, gop, videoCodecName, null);
    }
    public Spec noVideo() {
      return new Spec(format, 0, 0, 0, fps, seconds, audioCodec, sampleRate, channels, gop, null, audioCodecName);
    }
    public Spec seconds(double s) {
      return new Spec(format, videoCodec, width, height, fps, s, audioCodec, sampleRate, channels, gop, videoCodecName, audioCodecName);
    }
    public Spec fps(double f) {
      return new Spec(format, videoCodec, width, height, f, seconds, audioCodec, sampleRate, channels, gop, videoCodecName, audioCodecName);
    }
    public Spec gop(int g) {
      return new Spec(format, videoCodec, width, height, fps, seconds, audioCodec, sampleRate, channels, g, videoCodecName, audioCodecName);
    }
    public Spec format(String f) {
      return new Spec(f, videoCodec, width, height, fps, seconds, audioCodec, sampleRate, channels, gop, videoCodecName, audioCodecName);
    }
  }

  /** MPEG-4 Part 2 video 160x120 at 25 fps, AAC 44.1 kHz stereo, MP4, 3 s, keyframe every 25 frames. */
  public static Spec mp4() {
    return new Spec("mp4", AV_CODEC_ID_MPEG4, 160, 120, 25, 3, AV_CODEC_ID_AAC, 44100, 2, 25, null, null);
  }

  private TestMedia() {}

  public static Path write(Path file, Spec s) throws Exception {
    return write(file, s, null);
  }

  /** Writes the file; {@code frameTimesMs} (optional) gives each frame's time in ms for variable rate. */
  public static Path write(Path file, Spec s, long[] frameTimesMs) throws Exception {
    return write(file, s, frameTimesMs, java.util.Map.of());
  }

  /** As above, with extra encoder options (for example {@code bf=2} for B-frames). */
  public static Path write(Path file, Spec s, long[] frameTimesMs, java.util.Map<String, String> videoOptions)
      throws Exception {
    boolean video = s.videoCodec() != 0 || s.videoCodecName() != null;
    boolean audio = s.audioCodec() != 0 || s.audioCodecName() != null;
    try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toString(), video ? s.width() : 0,
        video ? s.height() : 0, audio ? s.channels() : 0)) {
      r.setFormat(s.format());
      if (video) {
        if (s.videoCodecName() != null) {
          r.setVideoCodecName(s.videoCodecName());
        } else {
          r.setVideoCodec(s.videoCodec());
        }
        r.setFrameRate(frameTimesMs != null ? 1000 : s.fps());
        r.setGopSize(s.gop());
        r.setVideoQuality(4);
        videoOptions.forEach(r::setVideoOption);
        if (s.videoCodec() == AV_CODEC_ID_MJPEG) {
          r.setPixelFormat(AV_PIX_FMT_YUVJ420P);
        } else if (s.videoCodec() == AV_CODEC_ID_PNG) {
          r.setPixelFormat(AV_PIX_FMT_RGB24);
        } else {
          r.setPixelFormat(AV_PIX_FMT_YUV420P);
        }
      }
      if (audio) {
        if (s.audioCodecName() != null) {
          r.setAudioCodecName(s.audioCodecName());
        } else {
          r.setAudioCodec(s.audioCodec());
        }
        r.setSampleRate(s.sampleRate());
        r.setAudioChannels(s.channels());
        if (s.audioCodec() != AV_CODEC_ID_VORBIS) {
          r.setAudioQuality(0);
        }
        r.setAudioOption("strict", "experimental");
      }
      r.start();
      int frames = frameTimesMs != null ? frameTimesMs.length : (int) Math.round(s.seconds() * s.fps());
      long audioWritten = 0;
      Frame f = video ? new Frame(s.width(), s.height(), Frame.DEPTH_UBYTE, 3) : null;
      for (int i = 0; video && i < frames; i++) {
        paint(f, i, s.width(), s.height());
        if (frameTimesMs != null) {
          r.setTimestamp(frameTimesMs[i] * 1000);
        }
        r.record(f, AV_PIX_FMT_BGR24);
        double t = frameTimesMs != null ? frameTimesMs[i] / 1000.0 : (i + 1) / s.fps();
        if (audio) {
          long target = Math.round(t * s.sampleRate());
          audioWritten = tone(r, s, audioWritten, target);
        }
      }
      if (audio) {
        tone(r, s, audioWritten, Math.round(s.seconds() * s.sampleRate()));
      }
      r.stop();
    }
    return file;
  }

  private static long tone(FFmpegFrameRecorder r, Spec s, long from, long to) throws Exception {
    while (from < to) {
      int n = (int) Math.min(4096, to - from);
      ShortBuffer buf = ShortBuffer.allocate(n * s.channels());
      for (int k = 0; k < n; k++) {
        short v = (short) (Math.sin(2 * Math.PI * 440 * (from + k) / s.sampleRate()) * 12000);
        for (int c = 0; c < s.channels(); c++) {
          buf.put(v);
        }
      }
      buf.flip();
      r.recordSamples(s.sampleRate(), s.channels(), buf);
      from += n;
    }
    return from;
  }

  /** Paints frame i: gradient background, moving square, frame index blocks (16 levels each). */
  public static void paint(Frame f, int i, int w, int h) {
    ByteBuffer b = (ByteBuffer) f.image[0];
    int stride = f.imageStride;
    int sq = Math.max(1, Math.min(w, h) / 4);
    int sx = (i * 3) % Math.max(1, w - sq);
    int sy = h / 2 - sq / 2;
    int block = Math.min(16, Math.max(1, w / 4));
    int hi = (i / 16) % 16;
    int lo = i % 16;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v;
        if (y < block && x < block) {
          v = 8 + 16 * hi;
        } else if (y < block && x >= block && x < 2 * block) {
          v = 8 + 16 * lo;
        } else {
          v = -1;
        }
        int o = y * stride + x * 3;
        if (v >= 0) {
          b.put(o, (byte) v).put(o + 1, (byte) v).put(o + 2, (byte) v);
        } else if (x >= sx && x < sx + sq && y >= sy && y < sy + sq) {
          b.put(o, (byte) 40).put(o + 1, (byte) 40).put(o + 2, (byte) 220);
        } else {
          b.put(o, (byte) (x * 255 / Math.max(1, w))).put(o + 1, (byte) (y * 255 / Math.max(1, h))).put(o + 2, (byte) 90);
        }
      }
    }
  }

  /** Reads back the frame index painted by {@link #paint} from an RGB frame (block scaled by sx, sy). */
  public static int frameIndex(byte[] rgb, int width, int height, int srcWidth) {
    double scale = (double) width / srcWidth;
    int block = (int) Math.round(Math.min(16, srcWidth / 4) * scale);
    int hi = level(rgb, width, block / 2, block / 2);
    int lo = level(rgb, width, block + block / 2, block / 2);
    return hi * 16 + lo;
  }

  private static int level(byte[] rgb, int width, int x, int y) {
    int g = rgb[(y * width + x) * 3 + 1] & 0xff;
    return Math.max(0, Math.min(15, Math.round((g - 8) / 16f)));
  }

  /**
   * Copies every stream of {@code src} into {@code dst} (container chosen by extension), adding a
   * display matrix of {@code rotationCw} degrees clockwise to the first video stream, and, when
   * {@code coverJpeg} is given, an attached-picture stream holding it.
   */
  public static Path remux(Path src, Path dst, int rotationCw, byte[] coverJpeg) {
    AVFormatContext in = new AVFormatContext(null);
    check(avformat_open_input(in, src.toString(), null, null));
    check(avformat_find_stream_info(in, (PointerPointer<?>) null));
    AVFormatContext out = new AVFormatContext(null);
    check(avformat_alloc_output_context2(out, null, null, dst.toString()));
    boolean rotated = false;
    for (int i = 0; i < in.nb_streams(); i++) {
      AVStream is = in.streams(i);
      AVStream os = avformat_new_stream(out, null);
      check(avcodec_parameters_copy(os.codecpar(), is.codecpar()));
      os.codecpar().codec_tag(0);
      os.time_base(is.time_base());
      if (!rotated && rotationCw != 0 && is.codecpar().codec_type() == AVMEDIA_TYPE_VIDEO) {
        IntPointer nb = new IntPointer(1).put(os.codecpar().nb_coded_side_data());
        PointerPointer<?> arr = new PointerPointer<>(1);
        arr.put(0, os.codecpar().coded_side_data());
        AVPacketSideData sd = av_packet_side_data_new(arr, nb, AV_PKT_DATA_DISPLAYMATRIX, 36, 0);
        av_display_rotation_set(new IntPointer(sd.data()), rotationCw);
        os.codecpar().coded_side_data(new AVPacketSideData(arr.get(0)));
        os.codecpar().nb_coded_side_data(nb.get());
        rotated = true;
      }
    }
    int coverIndex = -1;
    if (coverJpeg != null) {
      AVStream cs = avformat_new_stream(out, null);
      cs.codecpar().codec_type(AVMEDIA_TYPE_VIDEO);
      cs.codecpar().codec_id(AV_CODEC_ID_MJPEG);
      cs.codecpar().width(64);
      cs.codecpar().height(64);
      cs.disposition(AV_DISPOSITION_ATTACHED_PIC);
      coverIndex = cs.index();
    }
    AVIOContext pb = new AVIOContext(null);
    check(avio_open(pb, dst.toString(), AVIO_FLAG_WRITE));
    out.pb(pb);
    check(avformat_write_header(out, (org.bytedeco.ffmpeg.avutil.AVDictionary) null));
    AVPacket pkt = av_packet_alloc();
    if (coverIndex >= 0) {
      AVPacket cp = av_packet_alloc();
      av_new_packet(cp, coverJpeg.length);
      cp.data().put(coverJpeg);
      cp.stream_index(coverIndex);
      cp.flags(AV_PKT_FLAG_KEY);
      cp.pts(0).dts(0);
      check(av_interleaved_write_frame(out, cp));
      av_packet_free(cp);
    }
    while (av_read_frame(in, pkt) >= 0) {
      AVStream is = in.streams(pkt.stream_index());
      AVStream os = out.streams(pkt.stream_index());
      av_packet_rescale_ts(pkt, is.time_base(), os.time_base());
      pkt.pos(-1);
      check(av_interleaved_write_frame(out, pkt));
    }
    check(av_write_trailer(out));
    av_packet_free(pkt);
    avio_closep(out.pb());
    avformat_free_context(out);
    avformat_close_input(in);
    return dst;
  }

  private static void check(int r) {
    if (r < 0) {
      throw new IllegalStateException("ffmpeg error " + r);
    }
  }
}
