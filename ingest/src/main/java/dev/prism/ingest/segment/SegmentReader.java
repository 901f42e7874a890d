package dev.prism.ingest.segment;

import dev.prism.ingest.MediaException;
import dev.prism.ingest.MediaException.Kind;
import dev.prism.ingest.ffmpeg.Demuxer;
import dev.prism.ingest.probe.MediaProbe;
import dev.prism.ingest.probe.MediaProber;
import dev.prism.ingest.probe.StreamInfo;
import dev.prism.ingest.source.MediaSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Cuts a source into {@link Segment}s while it decodes. Video and audio are decoded by their own
 * producer threads into bounded queues ({@link VideoProducer}, {@link AudioProducer}); {@link #next()}
 * assembles segment i from the frames with time in [i*L, (i+1)*L) and the audio samples
 * [round(i*L*rate), round((i+1)*L*rate)). Memory is bounded by the queues whatever the length.
 * A live source ({@link MediaSource#live()}: a stream or pipe that can be read only once) is read
 * by a single {@link LiveProducer} feeding both queues; segments come out as content arrives.
 */
public final class SegmentReader implements AutoCloseable, Iterable<Segment> {

  static final double TAIL_FRACTION = 0.05;
  static final double LIVE_SKEW_SECONDS = 10;

  private final MediaSource source;
  private final SegmentOptions options;
  private final MediaProbe probe;
  private final BlockingQueue<Object> videoQ;
  private final BlockingQueue<Object> audioQ;
  private final List<Thread> threads = new ArrayList<>();
  private final List<String> allWarnings = new ArrayList<>();
  private final List<String> pending = new ArrayList<>();
  private final PcmBuffer pcm16 = new PcmBuffer();
  private final PcmBuffer pcm24 = new PcmBuffer();
  private VideoFrame held;
  private boolean videoEnded;
  private boolean audioEnded;
  private double contentEnd;
  private int index;
  private boolean closed;
  private boolean finished;
  private final VideoProducer videoProducer;

  private SegmentReader(MediaSource source, SegmentOptions options, MediaProbe probe, boolean convert,
      Demuxer liveDemuxer) {
    this.source = source;
    this.options = options;
    this.probe = probe;
    this.pending.addAll(probe.warnings());
    DecodeBudget budget = new DecodeBudget(options.limits(), source.name());
    StreamInfo v = probe.video().filter(StreamInfo::decodable).orElse(null);
    StreamInfo a = probe.audio().filter(StreamInfo::decodable).orElse(null);
    int perSegment = (int) Math.ceil(options.segmentSeconds() * Math.min(options.framesPerSecond(),
        v == null || Double.isNaN(v.frameRate()) ? 120 : Math.max(v.frameRate(), 1)));
    // A live source interleaves both streams through one reader, so each queue also absorbs the
    // other stream's skew: give them LIVE_SKEW_SECONDS of slack.
    double slack = source.live() ? LIVE_SKEW_SECONDS : 0;
    videoQ = new ArrayBlockingQueue<>(Math.max(16, options.queueSegments() * (perSegment + 4)
        + (int) (slack * Math.min(options.framesPerSecond(), 60))));
    audioQ = new ArrayBlockingQueue<>(Math.max(8, (int) Math.ceil((options.queueSegments()
        * options.segmentSeconds() + slack) * 16000 / PcmAligner.CHUNK_16K) + 4));
    boolean wantVideo = v != null && options.framesPerSecond() > 0;
    boolean wantAudio = a != null && options.audio();
    if (source.live()) {
      // One read of the source feeds both queues.
      videoProducer = null;
      FrameSampler sampler = new FrameSampler(options.framesPerSecond(), options.shorterSide(),
          v == null ? 0 : v.rotationDegrees());
      start(new LiveProducer(source, liveDemuxer, wantVideo ? v.index() : -1, wantAudio ? a.index() : -1, sampler, budget,
          videoQ, audioQ), "prism-live");
      videoEnded = !wantVideo;
      audioEnded = !wantAudio;
      return;
    }
    if (wantVideo) {
      DecodeMode mode = options.mode() == DecodeMode.AUTO
          ? (source.remote() ? DecodeMode.SEQUENTIAL : DecodeMode.INDEXED) : options.mode();
      FrameSampler sampler = new FrameSampler(options.framesPerSecond(), options.shorterSide(), v.rotationDegrees());
      videoProducer = new VideoProducer(source, v.index(), probe.startSeconds(), sampler, mode, options.workers(),
          Math.max(8, perSegment), budget, videoQ, convert);
      start(videoProducer, "prism-video");
    } else {
      videoProducer = null;
      videoEnded = true;
    }
    if (wantAudio) {
      start(new AudioProducer(source, a.index(), probe.startSeconds(), budget, audioQ), "prism-audio");
    } else {
      audioEnded = true;
    }
  }

  /** Opens a trusted local file. */
  public static SegmentReader open(Path file, SegmentOptions options) {
    return open(MediaSource.file(file), options);
  }

  /** Probes (checking limits; throws {@link MediaException} for bad input) and starts decoding. */
  public static SegmentReader open(MediaSource source, SegmentOptions options) {
    return open(source, options, true);
  }

  static SegmentReader open(MediaSource source, SegmentOptions options, boolean convert) {
    if (!source.live()) {
      MediaProbe probe = new MediaProber(options.limits()).probe(source);
      return new SegmentReader(source, options, probe, convert, null);
    }
    // A live source is opened once: probe it and keep the demuxer for decoding.
    Demuxer d = Demuxer.open(source, true, MediaProber.PROBE_BYTES);
    try {
      MediaProbe probe = MediaProber.describe(d, source, false);
      MediaProber.check(probe, options.limits());
      return new SegmentReader(source, options, probe, convert, d);
    } catch (RuntimeException e) {
      d.close();
      throw e;
    }
  }

  private void start(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  public MediaProbe probe() {
    return probe;
  }

  /** Every warning so far. */
  public List<String> warnings() {
    return List.copyOf(allWarnings);
  }

  /** The next segment, or null after the last. Blocks while decoding catches up. */
  public Segment next() {
    if (closed) {
      throw new MediaException(Kind.CANCELLED, source.name(), "the segment reader is closed");
    }
    if (finished) {
      return null;
    }
    double start = index * options.segmentSeconds();
    double end = (index + 1) * options.segmentSeconds();
    List<VideoFrame> frames = new ArrayList<>();
    try {
      while (!videoEnded) {
        if (held == null) {
          Object o = videoQ.take();
          if (!(o instanceof VideoFrame f)) {
            control(o, true);
            continue;
          }
          held = f;
        }
        if (held.ptsSeconds() >= end) {
          break;
        }
        frames.add(held);
        held = null;
      }
      // Look a little past the end: a remainder shorter than TAIL_FRACTION of a segment (codec
      // padding) joins this segment instead of forming a sliver of its own.
      double ahead = end + TAIL_FRACTION * options.segmentSeconds();
      long need16 = Math.round(ahead * 16000);
      long need24 = Math.round(ahead * 24000);
      while (!audioEnded && (pcm16.end() < need16 || pcm24.end() < need24)) {
        Object o = audioQ.take();
        if (o instanceof Signal.Pcm p) {
          pcm16.add(p.pcm16k());
          pcm24.add(p.pcm24k());
        } else {
          control(o, false);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MediaException(Kind.CANCELLED, source.name(), "interrupted while decoding");
    }
    boolean nothingLeft = videoEnded && held == null && audioEnded && pcm16.available() == 0 && pcm24.available() == 0;
    if (frames.isEmpty() && nothingLeft && start >= contentEnd - 1e-6) {
      if (index == 0) {
        throw new MediaException(Kind.INVALID, source.name(), "no frame or audio sample could be decoded; the file is damaged");
      }
      finished = true;
      return null;
    }
    double tailEnd = end + TAIL_FRACTION * options.segmentSeconds();
    boolean tail = videoEnded && held == null && audioEnded && pcm16.end() <= Math.round(tailEnd * 16000)
        && contentEnd <= tailEnd;
    float[] a16 = pcm16.take(tail ? Long.MAX_VALUE : Math.round(end * 16000));
    float[] a24 = pcm24.take(tail ? Long.MAX_VALUE : Math.round(end * 24000));
    double segEnd = end;
    if (tail) {
      finished = true;
      segEnd = Math.max(start, Math.min(tailEnd, Math.max(contentEnd, start + a16.length / 16000.0)));
      truncationCheck(segEnd);
    }
    Segment s = new Segment(index++, start, segEnd, frames, a16, a24, List.copyOf(pending));
    pending.clear();
    return s;
  }

  private void control(Object o, boolean video) {
    if (o instanceof Signal.Warning w) {
      pending.add(w.text());
      allWarnings.add(w.text());
    } else if (o instanceof Signal.End e) {
      if (!Double.isNaN(e.contentEndSeconds())) {
        contentEnd = Math.max(contentEnd, e.contentEndSeconds());
      }
      if (video) {
        videoEnded = true;
      } else {
        audioEnded = true;
      }
    } else if (o instanceof Signal.Failure f) {
      if (video) {
        videoEnded = true;
      } else {
        audioEnded = true;
      }
      throw f.error();
    }
  }

  private void truncationCheck(double end) {
    double declared = probe.durationSeconds();
    if (!Double.isNaN(declared) && end < declared - Math.max(1.0, 0.05 * declared)) {
      String w = String.format(Locale.ROOT,
          "the media ends at %.2f s but declares %.2f s: the file looks truncated", end, declared);
      pending.add(w);
      allWarnings.add(w);
    }
  }

  /** Counts for benchmarks: decoded and sampled video frames so far. */
  long[] videoCounts() {
    return videoProducer == null ? new long[2] : new long[] {videoProducer.decoded(), videoProducer.sampled()};
  }

  @Override
  public Iterator<Segment> iterator() {
    return new Iterator<>() {
      private Segment nextSeg;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (nextSeg == null && !done) {
          nextSeg = SegmentReader.this.next();
          done = nextSeg == null;
        }
        return nextSeg != null;
      }

      @Override
      public Segment next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Segment s = nextSeg;
        nextSeg = null;
        return s;
      }
    };
  }

  /** Stops the producers and frees every native context (safe to call twice). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      for (int i = 0; i < 200 && t.isAlive(); i++) {
        videoQ.clear();
        audioQ.clear();
        try {
          t.join(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
  }
}
