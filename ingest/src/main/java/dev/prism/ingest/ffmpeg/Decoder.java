package dev.prism.ingest.ffmpeg;

import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import dev.prism.ingest.MediaException;
import dev.prism.ingest.MediaException.Kind;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Owns one {@code AVCodecContext} and its reusable frame, for audio or video. Decode errors of
 * single packets are counted, not thrown: damaged media should yield what can be decoded.
 */
public final class Decoder implements AutoCloseable {

  private static final int EAGAIN = -11;
  // FF_THREAD_FRAME and FF_THREAD_SLICE from avcodec.h (not mapped by the presets).
  private static final int FF_THREAD_FRAME = 1;
  private static final int FF_THREAD_SLICE = 2;

  private AVCodecContext ctx;
  private AVFrame frame;
  private final AVRational timeBase;
  private int errors;
  private boolean draining;

  /**
   * Opens a decoder for the stream. {@code threads}: 0 lets FFmpeg choose (frame and slice
   * threads), 1 decodes on the calling thread only (used by the keyframe-parallel workers).
   */
  public Decoder(AVStream stream, int threads, String input) {
    Ffmpeg.init();
    int id = stream.codecpar().codec_id();
    AVCodec codec = avcodec_find_decoder(id);
    if (codec == null || codec.isNull()) {
      throw new MediaException(Kind.UNSUPPORTED, input, "stream " + stream.index() + " uses codec '"
          + avcodec_get_name(id).getString() + "' which this FFmpeg build cannot decode; convert it (for example to H.264/AAC) first");
    }
    ctx = avcodec_alloc_context3(codec);
    int r = avcodec_parameters_to_context(ctx, stream.codecpar());
    if (r >= 0) {
      ctx.thread_count(threads);
      ctx.thread_type(FF_THREAD_FRAME | FF_THREAD_SLICE);
      ctx.pkt_timebase(stream.time_base());
      r = avcodec_open2(ctx, codec, (AVDictionary) null);
    }
    if (r < 0) {
      avcodec_free_context(ctx);
      ctx = null;
      throw new MediaException(Kind.UNSUPPORTED, input, "cannot open the " + codec.name().getString()
          + " decoder for stream " + stream.index() + ": " + Ffmpeg.error(r) + "; the stream parameters are invalid or unsupported");
    }
    timeBase = new AVRational().num(stream.time_base().num()).den(stream.time_base().den());
    frame = av_frame_alloc();
  }

  public AVCodecContext context() {
    return ctx;
  }

  public AVRational timeBase() {
    return timeBase;
  }

  /** Sends a packet; null starts draining. A rejected packet counts as a decode error. */
  public void send(AVPacket packet) {
    if (packet == null) {
      if (!draining) {
        draining = true;
        avcodec_send_packet(ctx, null);
      }
      return;
    }
    int r = avcodec_send_packet(ctx, packet);
    if (r == EAGAIN) {
      // Caller must drain frames first; this class always does, so treat as a dropped packet.
      errors++;
    } else if (r < 0 && r != AVERROR_EOF) {
      errors++;
    }
  }

  /** Receives the next decoded frame into {@link #frame()}; false when none is ready or at the end. */
  public boolean receive() {
    av_frame_unref(frame);
    int r = avcodec_receive_frame(ctx, frame);
    if (r >= 0) {
      return true;
    }
    if (r != EAGAIN && r != AVERROR_EOF) {
      errors++;
    }
    return false;
  }

  public AVFrame frame() {
    return frame;
  }

  /** Presentation time of the current frame in stream time base (best effort). */
  public long framePts() {
    return frame.best_effort_timestamp();
  }

  /** Drops buffered state, e.g. after a seek or a skipped run of packets. */
  public void flush() {
    avcodec_flush_buffers(ctx);
    draining = false;
  }

  public int errors() {
    return errors;
  }

  /** Decode only some frames (AVDISCARD_* value); used to skip non-reference frames. */
  public void skipFrames(int discard) {
    ctx.skip_frame(discard);
  }

  @Override
  public void close() {
    if (frame != null) {
      av_frame_free(frame);
      frame = null;
    }
    if (ctx != null) {
      avcodec_free_context(ctx);
      ctx = null;
    }
    timeBase.close();
  }
}
