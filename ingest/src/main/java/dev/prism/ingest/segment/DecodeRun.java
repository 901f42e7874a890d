package dev.prism.ingest.segment;

import dev.prism.ingest.MediaException;
import dev.prism.ingest.MediaLimits;
import dev.prism.ingest.probe.MediaProbe;
import dev.prism.ingest.probe.MediaProber;
import dev.prism.ingest.probe.StreamInfo;
import dev.prism.ingest.source.MediaSource;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs only the video half of the segmenter and counts, for benchmarks and diagnostics: how many
 * frames were decoded and sampled and how long it took, with the decoded frames optionally not
 * converted (to compare with {@code ffmpeg -f null}, which converts nothing).
 */
public final class DecodeRun {

  /**
   * @param decoded frames the decoder produced
   * @param sampled frames selected by the sampling rule
   * @param seconds wall time
   * @param cpuSeconds process CPU time (all threads) spent meanwhile: less sensitive to other load
   * @param chunks INDEXED: keyframe-aligned chunks decoded (0 for SEQUENTIAL)
   * @param contexts INDEXED: worker contexts opened, each its own demuxer and decoder
   * @param maxConcurrentChunks INDEXED: most chunks that were being decoded at the same moment
   * @param criticalPathCpuSeconds CPU time of the decoding thread (SEQUENTIAL), or of the producer
   *     thread (keyframe scan, reassembly) plus the busiest chunk worker (INDEXED): about the wall
   *     time on idle cores, far less sensitive to other load than {@code seconds}
   * @param producerCpuSeconds CPU time of the producer thread: all of a SEQUENTIAL decode with one
   *     FFmpeg thread; the keyframe scan and the reassembly in INDEXED
   * @param workerCpuSeconds INDEXED: CPU time of the chunk workers together
   * @param scanCpuSeconds INDEXED: CPU time of the keyframe scan, which no worker overlaps
   * @param workerIdleSeconds INDEXED: wall time the workers held no chunk while chunks were being
   *     decoded, summed over workers (stalls of the in-order window)
   * @param idleCoreSeconds INDEXED: estimated wall time on idle cores: the keyframe scan plus the
   *     chunk schedule replayed with each chunk's CPU time (SEQUENTIAL: the producer's CPU time)
   * @param fixedWindowIdleCoreSeconds INDEXED: the same chunks replayed with a fixed window of
   *     workers + 1 chunks in flight (the scheduling this path used before {@link OrderedChunks})
   * @param gcCount garbage collections in this JVM during the run (all collectors; other threads'
   *     garbage counts too, so run alone for a clean figure)
   * @param gcSeconds time the collectors reported for those collections (pauses; for concurrent
   *     collectors their cycle time)
   * @param jitSeconds time the JIT compilers spent meanwhile: CPU of compiler threads, not of ours
   * @param decoderThreads FFmpeg threads per decoder: INDEXED, those each chunk decoder was opened
   *     with (see {@code ChunkThreads}); SEQUENTIAL, those requested
   *     (0 = FFmpeg's choice)
   * @param streamedFrames INDEXED: sampled frames the oldest chunk passed straight on while it was
   *     decoding, instead of holding them until it was done (see {@code ChunkRelay})
   */
  public record Stats(long decoded, long sampled, double seconds, double cpuSeconds, int chunks, int contexts,
      int maxConcurrentChunks, double criticalPathCpuSeconds, double producerCpuSeconds, double workerCpuSeconds,
      double scanCpuSeconds, double workerIdleSeconds, double idleCoreSeconds, double fixedWindowIdleCoreSeconds,
      long gcCount, double gcSeconds, double jitSeconds, int decoderThreads, long streamedFrames) {
    /** CPU time of the decoding threads (FFmpeg's own threads and the JVM's excluded): the decode's work. */
    public double threadCpuSeconds() {
      return producerCpuSeconds + workerCpuSeconds;
    }

    /**
     * Process CPU not spent by the decoding threads: FFmpeg's own threads, the consumer thread, the
     * garbage collector, the JIT compilers. What the decode costs the machine beyond its own work.
     */
    public double otherCpuSeconds() {
      return cpuSeconds - threadCpuSeconds();
    }

    public double decodedPerSecond() {
      return decoded / seconds;
    }
  }

  private DecodeRun() {}

  /**
   * Decodes the main video stream of {@code source}.
   *
   * @param mode SEQUENTIAL or INDEXED
   * @param workers chunk workers for INDEXED
   * @param decoderThreads FFmpeg threads per decoder, 0 = FFmpeg's choice, -1 = the reader's own choice
   * @param fps sampling rate ({@code Double.POSITIVE_INFINITY} = all frames)
   * @param convert convert sampled frames to RGB at {@code shorterSide}
   */
  public static Stats video(MediaSource source, DecodeMode mode, int workers, int decoderThreads, double fps,
      boolean convert, int shorterSide) {
    return video(source, mode, workers, decoderThreads, fps, convert, shorterSide, false);
  }

  /** {@code fixedWindow}: INDEXED schedules a fixed window of workers + 1 chunks (for comparisons). */
  static Stats video(MediaSource source, DecodeMode mode, int workers, int decoderThreads, double fps,
      boolean convert, int shorterSide, boolean fixedWindow) {
    MediaProbe p = new MediaProber().probe(source);
    StreamInfo v = p.video().orElseThrow(() -> new MediaException(MediaException.Kind.INVALID, source.name(), "no video stream"));
    BlockingQueue<Object> q = new ArrayBlockingQueue<>(64);
    VideoProducer producer = new VideoProducer(source, v.index(), p.startSeconds(), new FrameSampler(fps, shorterSide, v.rotationDegrees()),
        mode, workers, 32, new DecodeBudget(MediaLimits.defaults(), source.name()), q, convert).decoderThreads(decoderThreads)
        .fixedWindow(fixedWindow);
    long[] gc0 = gc();
    long jit0 = jitMillis();
    long t0 = System.nanoTime();
    long c0 = cpuNanos();
    Thread t = new Thread(producer, "prism-bench-decode");
    t.start();
    try {
      while (true) {
        Object o = q.take();
        if (o instanceof Signal.End) {
          break;
        }
        if (o instanceof Signal.Failure f) {
          throw f.error();
        }
      }
      t.join();
    } catch (InterruptedException e) {
      t.interrupt();
      Thread.currentThread().interrupt();
      throw new MediaException(MediaException.Kind.CANCELLED, source.name(), "interrupted");
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (cpuNanos() - c0) / 1e9;
    long[] gc1 = gc();
    double jit = (jitMillis() - jit0) / 1e3;
    int[] c = producer.concurrency();
    return new Stats(producer.decoded(), producer.sampled(), wall, cpu, c[0], c[1], c[2],
        producer.criticalPathCpuNanos() / 1e9, producer.producerCpuNanos() / 1e9, producer.workerCpuNanos() / 1e9,
        producer.scanCpuNanos() / 1e9, producer.workerIdleNanos() / 1e9,
        mode == DecodeMode.INDEXED ? producer.idleCoreNanos()[0] / 1e9 : producer.producerCpuNanos() / 1e9,
        mode == DecodeMode.INDEXED ? producer.idleCoreNanos()[1] / 1e9 : producer.producerCpuNanos() / 1e9,
        gc1[0] - gc0[0], (gc1[1] - gc0[1]) / 1e3, jit,
        mode == DecodeMode.INDEXED ? producer.chunkDecoderThreads() : Math.max(0, decoderThreads),
        producer.streamedFrames());
  }

  /** {collections, milliseconds} summed over the JVM's collectors so far. */
  static long[] gc() {
    long n = 0;
    long ms = 0;
    for (java.lang.management.GarbageCollectorMXBean b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, b.getCollectionCount());
      ms += Math.max(0, b.getCollectionTime());
    }
    return new long[] {n, ms};
  }

  private static long jitMillis() {
    java.lang.management.CompilationMXBean c = java.lang.management.ManagementFactory.getCompilationMXBean();
    return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
  }

  static long cpuNanos() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
  }
}
