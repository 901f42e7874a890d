package dev.prism.ingest.ffmpeg;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/** Owns a swscale context and output buffer: decoded frame to packed RGB24 at a target size. */
public final class RgbScaler implements AutoCloseable {

  private SwsContext sws;
  private BytePointer out;
  private long outCapacity;
  private final PointerPointer<BytePointer> dstData = new PointerPointer<>(4);
  private final IntPointer dstLinesize = new IntPointer(4);

  /** Scales the frame to {@code width x height} RGB24 and returns the packed bytes (row stride 3*width). */
  public byte[] toRgb(AVFrame frame, int width, int height) {
    sws = sws_getCachedContext(sws, frame.width(), frame.height(), frame.format(),
        width, height, AV_PIX_FMT_RGB24, SWS_BILINEAR, null, null, (DoublePointer) null);
    if (sws == null || sws.isNull()) {
      throw new IllegalStateException("swscale cannot convert pixel format " + frame.format());
    }
    long need = (long) width * height * 3;
    if (out == null || outCapacity < need) {
      if (out != null) {
        out.close();
      }
      // Extra bytes: swscale's SIMD paths may write slightly past the last row.
      out = new BytePointer(need + 64);
      outCapacity = need;
    }
    dstData.put(0, out);
    dstLinesize.put(0, width * 3);
    sws_scale(sws, frame.data(), frame.linesize(), 0, frame.height(), dstData, dstLinesize);
    byte[] rgb = new byte[(int) need];
    out.position(0).get(rgb);
    return rgb;
  }

  @Override
  public void close() {
    if (sws != null) {
      sws_freeContext(sws);
      sws = null;
    }
    if (out != null) {
      out.close();
      out = null;
    }
    dstData.close();
    dstLinesize.close();
  }
}
