package dev.prism.ingest.segment;

/**
 * How many FFmpeg threads the keyframe-parallel decoders get when the caller leaves it automatic
 * (QuickVideo's chunk parallelism, papers.md, plus FFmpeg's own frame threads where the chunks
 * cannot keep the cores busy). The thresholds are this project's measurements, not the paper's.
 */
final class ChunkThreads {

  private ChunkThreads() {}

  /**
   * FFmpeg threads per chunk decoder when the caller asked for none in particular. One when the
   * chunks keep the workers busy: the parallelism comes from the chunks, and FFmpeg's frame threads
   * would only compete for the same cores. FFmpeg's own choice (0) for a single worker, or with
   * fewer chunks than workers (few long GOPs). And in between when the look-ahead keeps the chunks
   * from overlapping: converting every frame of long GOPs, each chunk holds more frames than the
   * budget lets two chunks hold, so the oldest runs alone, and with one FFmpeg thread the decode
   * would use one core however many workers there are (measured on the shared 2-core VM at load
   * 1.5-3.5: 60 s 720p, GOP 250, every frame to RGB 336, two workers: 0.83-1.07x one thread with
   * one FFmpeg thread per decoder, the second worker idle throughout; 1.06-1.31x with two; the
   * conversion, 2.3 ms a frame against 1.8 ms of decoding, stays on the worker thread). The
   * schedule is replayed ({@link OrderedChunks#makespan}) with each chunk's weight as its cost (one for chunks
   * that hold nothing), and each decoder gets workers / predicted speedup threads, rounded, so the
   * threads busy at once stay about the workers. The weight stands for the cost only roughly
   * (sparse sampling decodes more frames than it keeps), but sparse chunks are light and always
   * overlap, so only dense ones can change the result.
   */
  static int automatic(int workers, int[] weights, long budget, int ahead) {
    if (workers == 1 || weights.length < workers) {
      return 0;
    }
    long[] cost = new long[weights.length];
    long serial = 0;
    for (int k = 0; k < cost.length; k++) {
      cost[k] = Math.max(1, weights[k]);
      serial += cost[k];
    }
    double speedup = serial / (double) OrderedChunks.makespan(cost, weights, budget, ahead, workers);
    return (int) Math.max(1, Math.round(workers / speedup));
  }

  /**
   * FFmpeg threads for the last {@code workers} chunks (automatic threads only). A free worker takes
   * the next chunk, so once none is left the workers finish one by one and the last chunks run
   * with cores idle beside them: with one thread per decoder the busiest worker decides the end
   * (60 s at GOP 250 is 7.2 GOPs: 4 on one worker, 3.2 on the other, 1.8x at best; measured 0.25-0.43
   * worker-seconds idle per run). Decoders opened with {@code workers} threads for those chunks
   * share the cores while every worker is busy and take the idle ones when the others are done.
   * When the chunks already run on FFmpeg's threads (0, or several), nothing changes. Measured
   * against one decoder thread, 11 alternating rounds at load 1.3-1.6, 60 s 720p: GOP 250 1.80x
   * mean (1.68-1.92) against 1.75x (1.60-1.85) without, better in 7 rounds, worse in 3; GOP 30
   * (60 chunks) unchanged, 1.91x and 1.92x over 4 rounds. About 3 % more CPU (frame threads).
   */
  static int tail(int threads, int workers) {
    return threads == 1 && workers > 1 ? workers : threads;
  }
}
