package dev.prism.ingest.ffmpeg;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_default;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_uninit;
import static org.bytedeco.ffmpeg.global.swresample.swr_alloc_set_opts2;
import static org.bytedeco.ffmpeg.global.swresample.swr_convert;
import static org.bytedeco.ffmpeg.global.swresample.swr_free;
import static org.bytedeco.ffmpeg.global.swresample.swr_get_out_samples;
import static org.bytedeco.ffmpeg.global.swresample.swr_init;

import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Owns a swresample context converting decoded audio (any format, rate, layout) to mono float at
 * one output rate. Re-initialises when the input parameters change mid-stream (some broadcasts do).
 */
public final class MonoResampler implements AutoCloseable {

  private final int outRate;
  private SwrContext swr;
  private int inRate = -1;
  private int inFormat = -1;
  private int inChannels = -1;
  private FloatPointer out;
  private int outCapacity;
  private final PointerPointer<FloatPointer> outPtr = new PointerPointer<>(1);
  private final AVChannelLayout mono = new AVChannelLayout();

  public MonoResampler(int outRate) {
    this.outRate = outRate;
    av_channel_layout_default(mono, 1);
  }

  public int outRate() {
    return outRate;
  }

  /** Converts one decoded frame; returns the produced samples (possibly none while the filter fills). */
  public float[] convert(AVFrame frame) {
    int ch = frame.ch_layout().nb_channels();
    if (swr == null || frame.sample_rate() != inRate || frame.format() != inFormat || ch != inChannels) {
      float[] tail = swr == null ? new float[0] : flush();
      open(frame);
      if (tail.length > 0) {
        return concat(tail, run(frame.extended_data(), frame.nb_samples()));
      }
    }
    return run(frame.extended_data(), frame.nb_samples());
  }

  /** Drains the filter's delay at the end of the stream. */
  public float[] flush() {
    if (swr == null) {
      return new float[0];
    }
    return run(null, 0);
  }

  private void open(AVFrame frame) {
    if (swr != null) {
      swr_free(swr);
    }
    SwrContext s = new SwrContext(null);
    int r = swr_alloc_set_opts2(s, mono, AV_SAMPLE_FMT_FLT, outRate, frame.ch_layout(), frame.format(),
        frame.sample_rate(), 0, null);
    if (r < 0 || (r = swr_init(s)) < 0) {
      throw new IllegalStateException("cannot set up audio resampling: " + Ffmpeg.error(r));
    }
    swr = s;
    inRate = frame.sample_rate();
    inFormat = frame.format();
    inChannels = frame.ch_layout().nb_channels();
  }

  private float[] run(PointerPointer<?> in, int inSamples) {
    int cap = swr_get_out_samples(swr, inSamples) + 32;
    if (out == null || outCapacity < cap) {
      if (out != null) {
        out.close();
      }
      out = new FloatPointer(cap);
      outCapacity = cap;
    }
    outPtr.put(0, out);
    int n = swr_convert(swr, outPtr, cap, in, inSamples);
    if (n <= 0) {
      return new float[0];
    }
    float[] res = new float[n];
    out.position(0).get(res);
    return res;
  }

  private static float[] concat(float[] a, float[] b) {
    float[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }

  @Override
  public void close() {
    if (swr != null) {
      swr_free(swr);
      swr = null;
    }
    if (out != null) {
      out.close();
      out = null;
    }
    outPtr.close();
    av_channel_layout_uninit(mono);
    mono.close();
  }
}
