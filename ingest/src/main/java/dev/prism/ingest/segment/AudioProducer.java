package dev.prism.ingest.segment;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.prism.ingest.MediaException;
import dev.prism.ingest.ffmpeg.Decoder;
import dev.prism.ingest.ffmpeg.Demuxer;
import dev.prism.ingest.ffmpeg.Ffmpeg;
import dev.prism.ingest.ffmpeg.MonoResampler;
import dev.prism.ingest.source.MediaSource;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * Decodes one audio stream and resamples it to mono float at 16 kHz (speech) and 24 kHz (codec),
 * aligned to the media start: leading silence is inserted when the stream starts late, encoder
 * priming before the start is dropped, and gaps of more than {@value #GAP_SECONDS} s in the
 * timestamps are filled with silence (with a warning) so audio stays in step with the frames.
 */
final class AudioProducer implements Runnable {

  static final double GAP_SECONDS = 0.25;
  static final int CHUNK_16K = 8000;

  private final MediaSource source;
  private final int stream;
  private final DecodeBudget budget;
  private final BlockingQueue<Object> out;

  AudioProducer(MediaSource source, int stream, DecodeBudget budget, BlockingQueue<Object> out) {
    this.source = source;
    this.stream = stream;
    this.budget = budget;
    this.out = out;
  }

  @Override
  public void run() {
    try (Demuxer d = Demuxer.open(source, false, 1 << 20);
        Decoder dec = new Decoder(d.stream(stream), 1, source.name());
        MonoResampler r16 = new MonoResampler(16000);
        MonoResampler r24 = new MonoResampler(24000)) {
      d.keepOnly(stream);
      double tb = Ffmpeg.toDouble(d.stream(stream).time_base());
      double origin = d.originSeconds();
      Acc a16 = new Acc();
      Acc a24 = new Acc();
      boolean ended = false;
      while (!ended) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        AVPacket p = d.read();
        if (p == null) {
          dec.send(null);
          ended = true;
        } else {
          budget.inputBytes(p.size());
          dec.send(p);
        }
        while (dec.receive()) {
          int n = dec.frame().nb_samples();
          budget.audioSamples(n, dec.frame().ch_layout().nb_channels());
          long pts = dec.framePts();
          if (pts != AV_NOPTS_VALUE) {
            double t = pts * tb - origin;
            double expected = a16.total / 16000.0;
            if (a16.total == 0 && t > 0.001) {
              a16.silence(Math.round(t * 16000));
              a24.silence(Math.round(t * 24000));
            } else if (a16.total > 0 && t - expected > GAP_SECONDS) {
              out.put(new Signal.Warning(String.format(Locale.ROOT,
                  "audio gap from %.2f s to %.2f s filled with silence", expected, t)));
              a16.silence(Math.round(t * 16000) - a16.total);
              a24.silence(Math.round(t * 24000) - a24.total);
            } else if (a16.total == 0 && t < -0.001) {
              a16.drop = Math.round(-t * 16000);
              a24.drop = Math.round(-t * 24000);
            }
          }
          a16.add(r16.convert(dec.frame()));
          a24.add(r24.convert(dec.frame()));
          if (a16.size >= CHUNK_16K) {
            emit(a16, a24);
          }
        }
      }
      a16.add(r16.flush());
      a24.add(r24.flush());
      emit(a16, a24);
      if (dec.errors() > 0) {
        out.put(new Signal.Warning(dec.errors() + " audio packets failed to decode (damaged data)"));
      }
      out.put(new Signal.End(a16.total / 16000.0));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      put(new Signal.Failure(e));
    } catch (Throwable e) {
      put(new Signal.Failure(new MediaException(MediaException.Kind.INVALID, source.name(), "audio decoding failed: " + e, e)));
    }
  }

  private void put(Object o) {
    try {
      out.put(o);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void emit(Acc a16, Acc a24) throws InterruptedException {
    if (a16.size > 0 || a24.size > 0) {
      out.put(new Signal.Pcm(a16.take(), a24.take()));
    }
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
