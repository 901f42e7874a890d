package dev.prism.ingest.segment;

import dev.prism.ingest.MediaException;
import dev.prism.ingest.ffmpeg.Decoder;
import dev.prism.ingest.ffmpeg.Demuxer;
import dev.prism.ingest.ffmpeg.Ffmpeg;
import dev.prism.ingest.source.MediaSource;
import java.util.concurrent.BlockingQueue;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/** Decodes one audio stream with its own demuxer into aligned 16 kHz and 24 kHz chunks ({@link PcmAligner}). */
final class AudioProducer implements Runnable {

  private final MediaSource source;
  private final int stream;
  private final double origin;
  private final DecodeBudget budget;
  private final BlockingQueue<Object> out;

  /** {@code origin}: the probe's start time, media time 0 on the stream clock. */
  AudioProducer(MediaSource source, int stream, double origin, DecodeBudget budget, BlockingQueue<Object> out) {
    this.source = source;
    this.origin = origin;
    this.stream = stream;
    this.budget = budget;
    this.out = out;
  }

  @Override
  public void run() {
    try (Demuxer d = Demuxer.open(source, false, 1 << 20);
        Decoder dec = new Decoder(d.stream(stream), 1, source.name());
        PcmAligner pcm = new PcmAligner(Ffmpeg.toDouble(d.stream(stream).time_base()), origin, budget, out)) {
      d.keepOnly(stream);
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
          pcm.frame(dec);
        }
      }
      double end = pcm.finish();
      if (dec.errors() > 0) {
        out.put(new Signal.Warning(dec.errors() + " audio packets failed to decode (damaged data)"));
      }
      out.put(new Signal.End(end));
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
}
