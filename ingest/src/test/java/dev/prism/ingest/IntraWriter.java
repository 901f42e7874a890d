package dev.prism.ingest;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Writes RGB24 intra-only video (PNG) straight through libavcodec/libavformat, for sizes javacv's
 * recorder cannot make (it rounds odd widths up to even): 1x1, 4097x4097. Each frame shows four
 * quadrants: red top-left, green top-right, blue bottom-left, white bottom-right (a 1x1 frame is
 * all top-left: red), so tests can check orientation and colour after scaling.
 */
final class IntraWriter {

  static final int[][] QUADRANTS = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};

  private IntraWriter() {}

  /** {@code frames} PNG frames at {@code fps} in the container {@code format} (e.g. "matroska"). */
  static Path write(Path file, String format, int w, int h, int frames, int fps) {
    AVFormatContext out = new AVFormatContext(null);
    check(avformat_alloc_output_context2(out, null, format, file.toString()), "output context");
    AVCodec codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
    AVCodecContext ctx = avcodec_alloc_context3(codec);
    ctx.width(w).height(h).pix_fmt(AV_PIX_FMT_RGB24);
    AVRational tb = av_make_q(1, fps);
    ctx.time_base(tb);
    ctx.framerate(av_make_q(fps, 1));
    ctx.compression_level(1);
    check(avcodec_open2(ctx, codec, (AVDictionary) null), "png encoder");
    AVStream st = avformat_new_stream(out, null);
    check(avcodec_parameters_from_context(st.codecpar(), ctx), "stream parameters");
    st.time_base(tb);
    AVIOContext pb = new AVIOContext(null);
    check(avio_open(pb, file.toString(), AVIO_FLAG_WRITE), "open " + file);
    out.pb(pb);
    check(avformat_write_header(out, (AVDictionary) null), "header");
    AVFrame f = av_frame_alloc();
    f.format(AV_PIX_FMT_RGB24).width(w).height(h);
    check(av_frame_get_buffer(f, 0), "frame buffer");
    byte[] row = new byte[w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] c = QUADRANTS[(y < (h + 1) / 2 ? 0 : 2) + (x < (w + 1) / 2 ? 0 : 1)];
        row[x * 3] = (byte) c[0];
        row[x * 3 + 1] = (byte) c[1];
        row[x * 3 + 2] = (byte) c[2];
      }
      f.data(0).position((long) y * f.linesize(0)).put(row);
    }
    f.data(0).position(0);
    AVPacket pkt = av_packet_alloc();
    for (int i = 0; i <= frames; i++) {
      if (i < frames) {
        f.pts(i);
        check(avcodec_send_frame(ctx, f), "encode");
      } else {
        avcodec_send_frame(ctx, null);
      }
      while (avcodec_receive_packet(ctx, pkt) >= 0) {
        av_packet_rescale_ts(pkt, tb, st.time_base());
        pkt.stream_index(0);
        check(av_interleaved_write_frame(out, pkt), "write");
      }
    }
    check(av_write_trailer(out), "trailer");
    av_packet_free(pkt);
    av_frame_free(f);
    avcodec_free_context(ctx);
    avio_closep(out.pb());
    avformat_free_context(out);
    return file;
  }

  private static void check(int r, String what) {
    if (r < 0) {
      throw new IllegalStateException("ffmpeg error " + r + " at " + what);
    }
  }
}
