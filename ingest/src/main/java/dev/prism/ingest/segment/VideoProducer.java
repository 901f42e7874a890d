package dev.prism.ingest.segment;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.prism.ingest.MediaException;
import dev.prism.ingest.ffmpeg.Decoder;
import dev.prism.ingest.ffmpeg.Demuxer;
import dev.prism.ingest.ffmpeg.Ffmpeg;
import dev.prism.ingest.ffmpeg.RgbScaler;
import dev.prism.ingest.source.MediaSource;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * Produces the sampled frames of one video stream, in time order, into a bounded queue (so decoding
 * overlaps the consumer and memory stays bounded). {@link DecodeMode#INDEXED} follows QuickVideo
 * (papers.md, "QuickVideo"): scan keyframes, decode keyframe-aligned chunks on {@code workers}
 * threads with separate contexts, reassemble in order; at most {@code workers + 1} chunks are in
 * flight. {@link DecodeMode#SEQUENTIAL} decodes in one pass with FFmpeg's own threads.
 */
final class VideoProducer implements Runnable {

  private static final java.lang.management.ThreadMXBean THREAD_CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private final MediaSource source;
  private final int stream;
  private final double origin;
  private final FrameSampler sampler;
  private final DecodeMode mode;
  private final int workers;
  private final int maxChunkFrames;
  private final DecodeBudget budget;
  private final BlockingQueue<Object> out;
  private final boolean convert;
  private int decoderThreads = -1;
  private volatile long decoded;
  private volatile long sampled;
  // Diagnostics for the benchmark and tests: proof that chunks really decode concurrently.
  private final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger maxActive = new java.util.concurrent.atomic.AtomicInteger();
  private volatile int chunkCount;
  private volatile int contextCount;
  private final ConcurrentHashMap<Thread, Long> workerCpu = new ConcurrentHashMap<>();
  private volatile long serialCpu;
  private volatile long scanCpu;
  private final java.util.concurrent.atomic.AtomicLong busyNanos = new java.util.concurrent.atomic.AtomicLong();
  private volatile long phaseNanos;

  /** {@code origin}: the probe's start time, media time 0 on the stream clock (see {@link dev.prism.ingest.probe.MediaProbe}). */
  VideoProducer(MediaSource source, int stream, double origin, FrameSampler sampler, DecodeMode mode, int workers,
      int maxChunkFrames, DecodeBudget budget, BlockingQueue<Object> out, boolean convert) {
    this.source = source;
    this.stream = stream;
    this.origin = origin;
    this.sampler = sampler;
    this.mode = mode;
    this.workers = workers;
    this.maxChunkFrames = maxChunkFrames;
    this.budget = budget;
    this.out = out;
    this.convert = convert;
  }

  /** Overrides FFmpeg's threads per decoder (benchmarks: 1 = truly one thread; -1 = automatic). */
  VideoProducer decoderThreads(int n) {
    this.decoderThreads = n;
    return this;
  }

  long decoded() {
    return decoded;
  }

  long sampled() {
    return sampled;
  }

  /** INDEXED only: chunks decoded, worker contexts (demuxer + decoder) opened, most chunks decoding at once. */
  int[] concurrency() {
    return new int[] {chunkCount, contextCount, maxActive.get()};
  }

  /**
   * CPU nanoseconds of the producer thread (everything in SEQUENTIAL; keyframe scan and reassembly
   * in INDEXED) plus those of the busiest chunk worker: about the wall time the decode takes on idle
   * cores. Far less sensitive to a shared machine's load than wall time (cache contention still
   * adds a little).
   */
  long criticalPathCpuNanos() {
    return serialCpu + workerCpu.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  /** CPU nanoseconds of all chunk workers together (INDEXED; 0 for SEQUENTIAL). */
  long workerCpuNanos() {
    return workerCpu.values().stream().mapToLong(Long::longValue).sum();
  }

  /** CPU nanoseconds of the producer thread: all of SEQUENTIAL; keyframe scan plus reassembly in INDEXED. */
  long producerCpuNanos() {
    return serialCpu;
  }

  /** INDEXED: CPU nanoseconds of the keyframe scan (serial: no worker runs meanwhile). */
  long scanCpuNanos() {
    return scanCpu;
  }

  /**
   * INDEXED: wall nanoseconds the workers held no chunk while the chunks were being decoded
   * (summed over workers): time lost to the in-order window, not to decoding.
   */
  long workerIdleNanos() {
    return Math.max(0, workers * phaseNanos - busyNanos.get());
  }

  private VideoWorker.ChunkResult timed(int[] c, java.util.function.Supplier<VideoWorker> context) {
    long cpu0 = THREAD_CPU.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
    try {
      return context.get().decode(c[0], c[1]);
    } finally {
      active.decrementAndGet();
      busyNanos.addAndGet(System.nanoTime() - t0);
      workerCpu.merge(Thread.currentThread(), THREAD_CPU.getCurrentThreadCpuTime() - cpu0, Long::sum);
    }
  }

  @Override
  public void run() {
    long cpu0 = THREAD_CPU.getCurrentThreadCpuTime();
    try {
      double end = mode == DecodeMode.INDEXED ? indexed() : sequential(null);
      serialCpu = THREAD_CPU.getCurrentThreadCpuTime() - cpu0;
      out.put(new Signal.End(end));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      offer(new Signal.Failure(e));
    } catch (Throwable e) {
      offer(new Signal.Failure(new MediaException(MediaException.Kind.INVALID, source.name(), "video decoding failed: " + e, e)));
    }
  }

  private void offer(Object o) {
    try {
      out.put(o);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private double indexed() throws InterruptedException {
    KeyframeIndex index;
    double tb;
    try (Demuxer d = Demuxer.open(source, false, 1 << 20)) {
      tb = Ffmpeg.toDouble(d.stream(stream).time_base());
      long c0 = THREAD_CPU.getCurrentThreadCpuTime();
      index = KeyframeIndex.scan(d, stream, tb, origin, sampler, budget);
      scanCpu = THREAD_CPU.getCurrentThreadCpuTime() - c0;
    }
    if (index == null) {
      return sequential("no usable keyframe index (packets without timestamps); decoded sequentially");
    }
    List<int[]> chunks = index.chunks(workers, maxChunkFrames);
    // One decoder thread per worker: the parallelism comes from the chunks (FFmpeg's frame threads
    // would only compete for the same cores). A single worker keeps FFmpeg's threads instead.
    // With fewer chunks than workers (few long GOPs) the chunks cannot keep every core busy, so
    // FFmpeg's frame threads take over inside each chunk.
    int threads = decoderThreads >= 0 ? decoderThreads : workers == 1 || chunks.size() < workers ? 0 : 1;
    ConcurrentHashMap<Thread, VideoWorker> contexts = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "prism-decode");
      t.setDaemon(true);
      return t;
    });
    long phase0 = System.nanoTime();
    try {
      ArrayDeque<Future<VideoWorker.ChunkResult>> window = new ArrayDeque<>();
      int next = 0;
      for (int k = 0; k < chunks.size(); k++) {
        while (next < chunks.size() && window.size() < workers + 1) {
          int[] c = chunks.get(next++);
          window.add(pool.submit(() -> timed(c, () -> contexts.computeIfAbsent(Thread.currentThread(),
              t -> new VideoWorker(source, stream, origin, index, sampler, budget, threads, convert)))));
        }
        VideoWorker.ChunkResult r;
        try {
          r = window.poll().get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException re ? re
              : new MediaException(MediaException.Kind.INVALID, source.name(), "video decoding failed: " + e.getCause(), e.getCause());
        }
        decoded += r.decoded();
        for (String w : r.warnings()) {
          out.put(new Signal.Warning(w));
        }
        for (VideoFrame f : r.frames()) {
          sampled++;
          out.put(f);
        }
      }
      if (!convert) {
        sampled = index.selected.length;
      }
      chunkCount = chunks.size();
      contextCount = contexts.size();
      phaseNanos = System.nanoTime() - phase0;
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
      contexts.values().forEach(VideoWorker::close);
    }
    return index.contentEnd;
  }

  private double sequential(String note) throws InterruptedException {
    if (note != null) {
      out.put(new Signal.Warning(note));
    }
    try (Demuxer d = Demuxer.open(source, false, 1 << 20);
        Decoder dec = new Decoder(d.stream(stream), Math.max(0, decoderThreads), source.name());
        RgbScaler scaler = new RgbScaler()) {
      d.keepOnly(stream);
      double tb = Ffmpeg.toDouble(d.stream(stream).time_base());
      double prev = Double.NaN;
      double lastGap = Double.NaN;
      double interval = 1 / Math.max(1, Ffmpeg.toDouble(d.stream(stream).avg_frame_rate()) > 0
          ? Ffmpeg.toDouble(d.stream(stream).avg_frame_rate()) : 25);
      double gap = Math.max(0.5, 5 * interval);
      boolean ended = false;
      while (!ended) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException();
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
          decoded++;
          budget.videoFrame(dec.frame().width(), dec.frame().height());
          long pts = dec.framePts();
          if (pts == AV_NOPTS_VALUE) {
            continue;
          }
          double s = pts * tb - origin;
          if (!Double.isNaN(prev) && s - prev > gap && s != lastGap) {
            out.put(new Signal.Warning(String.format(Locale.ROOT,
                "video gap from %.2f s to %.2f s (missing or undecodable data)", prev, s)));
            lastGap = s;
          }
          if (!Double.isNaN(prev) && s <= prev) {
            continue;
          }
          if (sampler.takes(prev, s)) {
            sampled++;
            if (convert) {
              out.put(sampler.convert(scaler, dec.frame(), s));
            }
          }
          prev = s;
        }
      }
      if (dec.errors() > 0) {
        out.put(new Signal.Warning(dec.errors() + " video packets failed to decode (damaged data)"));
      }
      return Double.isNaN(prev) ? Double.NaN : prev + interval;
    }
  }
}
