package dev.prism.ingest.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_seek_file;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;

import dev.prism.ingest.MediaException;
import dev.prism.ingest.MediaException.Kind;
import dev.prism.ingest.source.MediaSource;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.PointerPointer;

/** Owns one opened {@code AVFormatContext} and its reusable packet. Not thread-safe: one per thread. */
public final class Demuxer implements AutoCloseable {

  private AVFormatContext fmt;
  private AVPacket packet;
  private final String name;
  private long packetBytes;

  private Demuxer(AVFormatContext fmt, String name) {
    this.fmt = fmt;
    this.name = name;
    this.packet = av_packet_alloc();
  }

  /**
   * Opens the source; {@code probeStreams} also runs {@code avformat_find_stream_info} (needed for
   * codec parameters of some containers). Probing reads at most {@code probeBytes}.
   */
  public static Demuxer open(MediaSource source, boolean probeStreams, long probeBytes) {
    Ffmpeg.init();
    AVFormatContext ctx = avformat_alloc_context();
    AVDictionary opts = new AVDictionary(null);
    for (Map.Entry<String, String> e : source.options().entrySet()) {
      av_dict_set(opts, e.getKey(), e.getValue(), 0);
    }
    av_dict_set(opts, "probesize", Long.toString(probeBytes), 0);
    long t0 = System.nanoTime();
    int r = avformat_open_input(ctx, source.url(), null, opts);
    long elapsedUs = (System.nanoTime() - t0) / 1000;
    av_dict_free(opts);
    if (r < 0) {
      // avformat_open_input frees the context on failure. A read timeout inside probing surfaces
      // as "invalid data" (the demuxer saw the data end), so time tells a stall from bad data.
      String rw = source.options().get("rw_timeout");
      if (rw != null && elapsedUs >= Long.parseLong(rw) * 9 / 10) {
        throw new MediaException(Kind.IO, source.name(), "timed out after " + elapsedUs / 1000
            + " ms waiting for data (" + Ffmpeg.error(r) + "); the server stalled, check it or raise the read timeout");
      }
      throw openError(source, r);
    }
    Demuxer d = new Demuxer(ctx, source.name());
    if (probeStreams) {
      int s = avformat_find_stream_info(ctx, (PointerPointer<?>) null);
      if (s < 0) {
        d.close();
        throw new MediaException(Kind.INVALID, source.name(),
            "cannot read the stream parameters: " + Ffmpeg.error(s) + "; the file may be damaged");
      }
    }
    return d;
  }

  private static MediaException openError(MediaSource source, int r) {
    String err = Ffmpeg.error(r);
    String lower = err.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("timed out") || lower.contains("timeout")) {
      return new MediaException(Kind.IO, source.name(), "timed out while opening: " + err
          + "; the server stalled, check it or raise the read timeout");
    }
    if (lower.contains("invalid data") || lower.contains("end of file")) {
      return new MediaException(Kind.INVALID, source.name(), "not a recognisable or complete media file ("
          + err + "); check that the upload is a complete video or audio file");
    }
    return new MediaException(Kind.IO, source.name(), "cannot open: " + err);
  }

  public AVFormatContext context() {
    return fmt;
  }

  public String name() {
    return name;
  }

  public int streamCount() {
    return fmt.nb_streams();
  }

  public AVStream stream(int i) {
    return fmt.streams(i);
  }

  /** Start of the timeline in seconds (container start_time, 0 when unknown). */
  public double originSeconds() {
    long st = fmt.start_time();
    return st == AV_NOPTS_VALUE ? 0 : st / (double) AV_TIME_BASE;
  }

  /** Container duration in seconds, NaN when unknown. */
  public double durationSeconds() {
    long d = fmt.duration();
    return d == AV_NOPTS_VALUE || d <= 0 ? Double.NaN : d / (double) AV_TIME_BASE;
  }

  /** Makes the demuxer skip every stream but these (saves reading and parsing their packets). */
  public void keepOnly(int... streams) {
    for (int i = 0; i < fmt.nb_streams(); i++) {
      boolean keep = false;
      for (int s : streams) {
        keep |= s == i;
      }
      fmt.streams(i).discard(keep ? AVDISCARD_DEFAULT : AVDISCARD_ALL);
    }
  }

  /**
   * Reads the next packet into the owned packet (valid until the next call), null at the end.
   * Read failures other than the end of input (timeouts, I/O) throw.
   */
  public AVPacket read() {
    av_packet_unref(packet);
    int r = av_read_frame(fmt, packet);
    if (r == AVERROR_EOF) {
      return null;
    }
    if (r < 0) {
      String err = Ffmpeg.error(r);
      if (err.toLowerCase(java.util.Locale.ROOT).contains("invalid data")) {
        // Damaged tail: the caller reports a warning and ends where the data ends.
        return null;
      }
      throw new MediaException(Kind.IO, name, "reading failed: " + err
          + (err.contains("timed out") ? "; the source stalled, retry or raise the read timeout" : ""));
    }
    packetBytes += packet.size();
    return packet;
  }

  /** Bytes of packets read so far (for the expansion-ratio bomb check). */
  public long packetBytes() {
    return packetBytes;
  }

  /** Seeks the stream to the last keyframe at or before {@code ts} (stream time base). */
  public boolean seek(int stream, long ts) {
    return av_seek_frame(fmt, stream, ts, AVSEEK_FLAG_BACKWARD) >= 0;
  }

  /** Back to the first packet. */
  public void rewind() {
    long start = fmt.start_time() == AV_NOPTS_VALUE ? 0 : fmt.start_time();
    if (avformat_seek_file(fmt, -1, Long.MIN_VALUE, start, start, 0) < 0) {
      av_seek_frame(fmt, -1, 0, org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BYTE);
    }
  }

  @Override
  public void close() {
    if (packet != null) {
      av_packet_free(packet);
      packet = null;
    }
    if (fmt != null) {
      avformat_close_input(fmt);
      fmt = null;
    }
  }
}
