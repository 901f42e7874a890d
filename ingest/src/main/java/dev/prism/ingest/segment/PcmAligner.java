package dev.prism.ingest.segment;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.prism.ingest.ffmpeg.Decoder;
import dev.prism.ingest.ffmpeg.MonoResampler;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;

/**
 * Turns decoded audio frames into mono float at 16 kHz (speech) and 24 kHz (codec) aligned to the
 * media start: leading silence when the stream starts late, encoder priming before the start
 * dropped, timestamp gaps over {@value #GAP_SECONDS} s filled with silence (at most
 * {@value #MAX_FILL_SECONDS} s, with a warning) so audio stays in step with the frames.
 * Emits {@link Signal.Pcm} chunks of about half a second.
 */
final class PcmAligner implements AutoCloseable {

  static final double GAP_SECONDS = 0.25;
  static final double MAX_FILL_SECONDS = 60;
  static final int CHUNK_16K = 8000;

  private final double tb;
  private final double origin;
  private final DecodeBudget budget;
  private final BlockingQueue<Object> out;
  private final MonoResampler r16 = new MonoResampler(16000);
  private final MonoResampler r24 = new MonoResampler(24000);
  private final Acc a16 = new Acc();
  private final Acc a24 = new Acc();

  PcmAligner(double tb, double origin, DecodeBudget budget, BlockingQueue<Object> out) {
    this.tb = tb;
    this.origin = origin;
    this.budget = budget;
    this.out = out;
  }

  /** Takes the decoder's current frame. */
  void frame(Decoder dec) throws InterruptedException {
    int n = dec.frame().nb_samples();
    budget.audioSamples(n, dec.frame().ch_layout().nb_channels());
    long pts = dec.framePts();
    if (pts != AV_NOPTS_VALUE) {
      double t = pts * tb - origin;
      double expected = a16.total / 16000.0;
      if (a16.total == 0 && t > 0.001) {
        fill(0, t);
      } else if (a16.total > 0 && t - expected > GAP_SECONDS) {
        out.put(new Signal.Warning(String.format(Locale.ROOT,
            "audio gap from %.2f s to %.2f s filled with silence", expected, t)));
        fill(expected, t);
      } else if (a16.total == 0 && t < -0.001) {
        a16.drop = Math.round(-t * 16000);
        a24.drop = Math.round(-t * 24000);
      }
    }
    a16.add(r16.convert(dec.frame()));
    a24.add(r24.convert(dec.frame()));
    if (a16.size >= CHUNK_16K) {
      emit();
    }
  }

  private void fill(double from, double to) throws InterruptedException {
    double until = Math.min(to, from + MAX_FILL_SECONDS);
    while (a16.total < Math.round(until * 16000)) {
      long step = Math.min(CHUNK_16K, Math.round(until * 16000) - a16.total);
      a16.silence(step);
      a24.silence(Math.round((a16.total / 16000.0) * 24000) - a24.total);
      emit();
    }
  }

  /** Flushes the resamplers and emits the rest; returns where the audio ends, in seconds. */
  double finish() throws InterruptedException {
    a16.add(r16.flush());
    a24.add(r24.flush());
    emit();
    return a16.total / 16000.0;
  }

  private void emit() throws InterruptedException {
    if (a16.size > 0 || a24.size > 0) {
      out.put(new Signal.Pcm(a16.take(), a24.take()));
    }
  }

  @Override
  public void close() {
    r16.close();
    r24.close();
  }

  /** Growable sample accumulator that also tracks the total emitted and samples still to drop. */
  private static final class Acc {
    float[] buf = new float[16384];
    int size;
    long total;
    long drop;

    void add(float[] s) {
      int from = 0;
      if (drop > 0) {
        int d = (int) Math.min(drop, s.length);
        drop -= d;
        from = d;
      }
      int n = s.length - from;
      ensure(n);
      System.arraycopy(s, from, buf, size, n);
      size += n;
      total += n;
    }

    void silence(long n) {
      if (n <= 0) {
        return;
      }
      ensure((int) n);
      Arrays.fill(buf, size, size + (int) n, 0f);
      size += (int) n;
      total += n;
    }

    private void ensure(int n) {
      if (size + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
      }
    }

    float[] take() {
      float[] r = Arrays.copyOf(buf, size);
      size = 0;
      return r;
    }
  }
}
