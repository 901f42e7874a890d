package dev.prism.ingest.segment;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import dev.prism.ingest.MediaException;
import dev.prism.ingest.ffmpeg.Decoder;
import dev.prism.ingest.ffmpeg.Demuxer;
import dev.prism.ingest.ffmpeg.Ffmpeg;
import dev.prism.ingest.ffmpeg.RgbScaler;
import dev.prism.ingest.source.MediaSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import org.bytedeco.ffmpeg.avcodec.AVPacket;

/**
 * Produces the sampled frames of one video stream, in time order, into a bounded queue (so decoding
 * overlaps the consumer and memory stays bounded). {@link DecodeMode#INDEXED} follows QuickVideo
 * (papers.md, "QuickVideo"): scan keyframes, decode keyframe-aligned chunks on {@code workers}
 * threads with separate contexts, reassemble in order ({@link OrderedChunks}: a free worker takes
 * the next chunk; the chunks decoded ahead of delivery hold at most {@code (workers + 1) *
 * maxChunkFrames} sampled frames). {@link DecodeMode#SEQUENTIAL} decodes in one pass with FFmpeg's own threads.
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
  private volatile int chunkThreads = -1;
  private volatile long streamed;
  private boolean fixedWindow;
  private volatile long decoded;
  private volatile long sampled;
  // Diagnostics for the benchmark and tests: proof that chunks really decode concurrently, and
  // where the CPU goes. Written before the End signal is queued.
  private volatile int[] concurrency = {0, 0, 0};
  private volatile long[] workerCpu = {0, 0};
  private volatile long serialCpu;
  private volatile long scanCpu;
  private volatile long idleNanos;
  private volatile long[] idleCore = {0, 0};

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

  /**
   * Diagnostics: schedule the chunks as a fixed window of {@code workers + 1} in flight (the plain
   * executor-and-futures scheme) instead of the frame-bounded look-ahead, to compare the two.
   */
  VideoProducer fixedWindow(boolean on) {
    this.fixedWindow = on;
    return this;
  }

  long decoded() {
    return decoded;
  }

  /** INDEXED: sampled frames passed straight to the queue by the oldest chunk while it decoded ({@link ChunkRelay}). */
  long streamedFrames() {
    return streamed;
  }

  /** INDEXED: FFmpeg threads each chunk decoder was opened with (0 = FFmpeg's choice); -1 before the scan or SEQUENTIAL. */
  int chunkDecoderThreads() {
    return chunkThreads;
  }

  long sampled() {
    return sampled;
  }

  /** INDEXED only: chunks decoded, worker contexts (demuxer + decoder) opened, most chunks decoding at once. */
  int[] concurrency() {
    return concurrency.clone();
  }

  /**
   * CPU nanoseconds of the producer thread (everything in SEQUENTIAL; keyframe scan and reassembly
   * in INDEXED) plus those of the busiest chunk worker: about the wall time the decode takes on idle
   * cores. Far less sensitive to a shared machine's load than wall time (cache contention still
   * adds a little).
   */
  long criticalPathCpuNanos() {
    return serialCpu + workerCpu[1];
  }

  /** CPU nanoseconds of all chunk workers together (INDEXED; 0 for SEQUENTIAL). */
  long workerCpuNanos() {
    return workerCpu[0];
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
   * (summed over workers): time lost waiting for the in-order look-ahead (or for a consumer slower
   * than the decoding, whose bounded queue holds the producer back), not decoding.
   */
  long workerIdleNanos() {
    return idleNanos;
  }

  /**
   * INDEXED: the wall time on idle cores estimated from CPU times (keyframe scan plus the chunks'
   * schedule replayed with their CPU times, see {@link OrderedChunks#idleCoreNanos()}), and the
   * same for a fixed window of {@code workers + 1} chunks in flight.
   */
  long[] idleCoreNanos() {
    return idleCore.clone();
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
    // Weight: the converted frames a chunk holds until delivered. The frame budget bounds memory
    // like a window of workers + 1 full chunks, yet chunks that hold few frames (sparse sampling)
    // or none (counting only) let a free worker run further ahead of a slow chunk instead of idling.
    int[] weights = new int[chunks.size()];
    for (int k = 0; k < weights.length && convert; k++) {
      for (int g = chunks.get(k)[0]; g < chunks.get(k)[1]; g++) {
        weights[k] += index.selectedPerGop[g];
      }
    }
    long frameBudget = fixedWindow ? Long.MAX_VALUE : (long) (workers + 1) * maxChunkFrames;
    int ahead = fixedWindow ? workers + 1 : 4 * workers;
    int threads = decoderThreads >= 0 ? decoderThreads : ChunkThreads.automatic(workers, weights, frameBudget, ahead);
    chunkThreads = threads;
    long phase0 = System.nanoTime();
    ChunkRelay relay = new ChunkRelay(out, source.name());
    // Nothing precedes the first chunk: it streams from its first frame.
    relay.advance(0);
    OrderedChunks<Delivery> pool = new OrderedChunks<>(weights, frameBudget, ahead, workers,
        () -> new ChunkContext(new VideoWorker(source, stream, origin, index, sampler, budget, threads, convert), chunks,
            relay, threads, decoderThreads < 0 ? ChunkThreads.tail(threads, workers) : threads, workers), "prism-decode");
    try {
      long before = 0;
      for (int k = 0; k < chunks.size(); k++) {
        // Everything before chunk k is in the queue: its frames may go straight out from now on.
        relay.advance(k);
        Delivery d = pool.take();
        decoded += d.result().decoded();
        // Warnings follow the frames a chunk passed on while decoding, and precede those it held.
        for (String w : d.result().warnings()) {
          out.put(new Signal.Warning(w));
        }
        long passed = relay.passed();
        sampled += passed - before;
        before = passed;
        for (VideoFrame f : d.held()) {
          sampled++;
          out.put(f);
        }
      }
      streamed = relay.passed();
      if (!convert) {
        sampled = index.selected.length;
      }
    } finally {
      long phase = System.nanoTime() - phase0;
      pool.close();
      concurrency = new int[] {chunks.size(), pool.contextsOpened(), pool.maxActive()};
      workerCpu = pool.cpuNanos();
      idleNanos = Math.max(0, pool.threadCount() * phase - pool.busyNanos());
      // The same chunks replayed with a fixed window of workers + 1 chunks in flight, for comparison.
      idleCore = new long[] {scanCpu + pool.idleCoreNanos(), scanCpu + pool.idleCoreNanos(Long.MAX_VALUE, workers + 1)};
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

  /** A chunk's findings and the frames it held (did not pass straight on). */
  private record Delivery(VideoWorker.ChunkResult result, List<VideoFrame> held) {}

  /** A worker's decoder as the pool's per-thread context. */
  private record ChunkContext(VideoWorker worker, List<int[]> chunks, ChunkRelay relay, int threads, int tailThreads,
      int workers) implements OrderedChunks.Context<Delivery> {
    @Override
    public Delivery run(int chunk) {
      ChunkRelay.Sink sink = relay.sink(chunk);
      int t = chunk >= chunks.size() - workers ? tailThreads : threads;
      VideoWorker.ChunkResult r = worker.decode(chunks.get(chunk)[0], chunks.get(chunk)[1], sink, t);
      return new Delivery(r, sink.held());
    }

    @Override
    public void close() {
      worker.close();
    }
  }
}
