package dev.prism.ingest.ffmpeg;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import org.bytedeco.ffmpeg.avutil.AVRational;

/** Process-wide FFmpeg set-up and small conversions. */
public final class Ffmpeg {

  private static volatile boolean ready;

  private Ffmpeg() {}

  /**
   * Loads the natives once and quietens FFmpeg's own logging: damaged input would otherwise flood
   * stderr; problems reach the caller as exceptions and warnings instead. Raise with the system
   * property {@code prism.ingest.ffmpegLogLevel} (an AV_LOG_* number) when debugging.
   */
  public static void init() {
    if (!ready) {
      synchronized (Ffmpeg.class) {
        if (!ready) {
          org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.avformat.class);
          org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.swscale.class);
          org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.global.swresample.class);
          av_log_set_level(Integer.getInteger("prism.ingest.ffmpegLogLevel", AV_LOG_FATAL));
          ready = true;
        }
      }
    }
  }

  /** FFmpeg's text for an error code. */
  public static String error(int code) {
    byte[] buf = new byte[256];
    av_strerror(code, buf, buf.length);
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (" + code + ")";
  }

  /** A rational as a double, NaN when undefined. */
  public static double toDouble(AVRational r) {
    return r == null || r.den() == 0 || r.num() == 0 ? Double.NaN : (double) r.num() / r.den();
  }

  /** A timestamp in stream time base to seconds, NaN for AV_NOPTS_VALUE. */
  public static double seconds(long ts, AVRational tb) {
    return ts == AV_NOPTS_VALUE ? Double.NaN : ts * (double) tb.num() / tb.den();
  }

  /** Seconds to a stream timestamp, rounded down. */
  public static long toTimestamp(double seconds, AVRational tb) {
    return (long) Math.floor(seconds * tb.den() / tb.num());
  }
}
