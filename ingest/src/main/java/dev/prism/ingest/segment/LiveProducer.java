package dev.prism.ingest.segment;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.prism.ingest.MediaException;
import dev.prism.ingest.ffmpeg.Decoder;
import dev.prism.ingest.ffmpeg.Demuxer;
import dev.prism.ingest.ffmpeg.Ffmpeg;
import dev.prism.ingest.ffmpeg.RgbScaler;
import dev.prism.ingest.source.MediaSource;
import java.util.concurrent.BlockingQueue;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * Video and audio from a single demuxer, for sources that can be read only once (live streams,
 * pipes): packets are dispatched by stream to the two decoders, frames go to the video queue and
 * audio chunks to the audio queue. Both queues must absorb the source's interleaving skew, so the
 * reader sizes them generously in this mode.
 */
final class LiveProducer implements Runnable {

  private final MediaSource source;
  private final Demuxer demuxer;
  private final int video;
  private final int audio;
  private final FrameSampler sampler;
  private final DecodeBudget budget;
  private final BlockingQueue<Object> videoOut;
  private final BlockingQueue<Object> audioOut;

  /** Takes ownership of the opened demuxer. {@code video} or {@code audio} may be -1 when absent or unwanted. */
  LiveProducer(MediaSource source, Demuxer demuxer, int video, int audio, FrameSampler sampler, DecodeBudget budget,
      BlockingQueue<Object> videoOut, BlockingQueue<Object> audioOut) {
    this.source = source;
    this.demuxer = demuxer;
    this.video = video;
    this.audio = audio;
    this.sampler = sampler;
    this.budget = budget;
    this.videoOut = videoOut;
    this.audioOut = audioOut;
  }

  @Override
  public void run() {
    Decoder vdec = null;
    Decoder adec = null;
    PcmAligner pcm = null;
    try (Demuxer d = demuxer; RgbScaler scaler = new RgbScaler()) {
      d.keepOnly(video, audio);
      double vtb = video >= 0 ? Ffmpeg.toDouble(d.stream(video).time_base()) : 0;
      double origin = d.originSeconds();
      if (video >= 0) {
        vdec = new Decoder(d.stream(video), 0, source.name());
      }
      if (audio >= 0) {
        adec = new Decoder(d.stream(audio), 1, source.name());
        pcm = new PcmAligner(Ffmpeg.toDouble(d.stream(audio).time_base()), origin, budget, audioOut);
      }
      double prev = Double.NaN;
      AVPacket p;
      while ((p = d.read()) != null) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        budget.inputBytes(p.size());
        if (p.stream_index() == video) {
          vdec.send(p);
          prev = frames(vdec, scaler, vtb, origin, prev);
        } else if (p.stream_index() == audio) {
          adec.send(p);
          while (adec.receive()) {
            pcm.frame(adec);
          }
        }
      }
      if (vdec != null) {
        vdec.send(null);
        prev = frames(vdec, scaler, vtb, origin, prev);
        videoOut.put(new Signal.End(Double.isNaN(prev) ? Double.NaN : prev));
      }
      if (adec != null) {
        adec.send(null);
        while (adec.receive()) {
          pcm.frame(adec);
        }
        audioOut.put(new Signal.End(pcm.finish()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fail(e);
    } catch (Throwable e) {
      fail(new MediaException(MediaException.Kind.INVALID, source.name(), "decoding failed: " + e, e));
    } finally {
      if (vdec != null) {
        vdec.close();
      }
      if (adec != null) {
        adec.close();
      }
      if (pcm != null) {
        pcm.close();
      }
    }
  }

  private double frames(Decoder dec, RgbScaler scaler, double tb, double origin, double prev) throws InterruptedException {
    while (dec.receive()) {
      budget.videoFrame(dec.frame().width(), dec.frame().height());
      long pts = dec.framePts();
      if (pts == AV_NOPTS_VALUE) {
        continue;
      }
      double s = pts * tb - origin;
      if (!Double.isNaN(prev) && s <= prev) {
        continue;
      }
      if (sampler.takes(prev, s)) {
        videoOut.put(sampler.convert(scaler, dec.frame(), s));
      }
      prev = s;
    }
    return prev;
  }

  private void fail(RuntimeException e) {
    try {
      videoOut.put(new Signal.Failure(e));
      audioOut.put(new Signal.Failure(e));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }
}
