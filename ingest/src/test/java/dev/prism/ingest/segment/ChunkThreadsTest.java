package dev.prism.ingest.segment;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link ChunkThreads#automatic} and {@link ChunkThreads#tail}: FFmpeg threads
 * per chunk decoder when none were asked for. (That the frames stay identical with these decoders
 * is {@code SegmentReaderTest}'s and {@code CliCodecsTest}'s job: the reader uses automatic threads.)
 */
class ChunkThreadsTest {

  private static int[] same(int n, int w) {
    int[] a = new int[n];
    Arrays.fill(a, w);
    return a;
  }

  @Test
  void chunksThatOverlapGetOneThreadEach() {
    // 60 one-second GOPs, every frame converted: 30 frames a chunk, three fit the 96-frame budget.
    assertEquals(1, ChunkThreads.automatic(2, same(60, 30), 96, 8));
    // Counting only (no frames held): nothing limits the look-ahead.
    assertEquals(1, ChunkThreads.automatic(2, same(8, 0), 96, 8));
    // Sparse sampling: a few frames per chunk.
    assertEquals(1, ChunkThreads.automatic(4, same(16, 8), 5 * 32, 16));
  }

  @Test
  void chunksTooHeavyToOverlapGetFfmpegThreadsForEveryWorker() {
    // 60 s at GOP 250, every frame converted: 250 frames a chunk against a 96-frame budget, so the
    // oldest chunk always runs alone. One FFmpeg thread would leave the other core idle.
    int[] gop250 = {250, 250, 250, 250, 250, 250, 250, 50};
    assertEquals(2, ChunkThreads.automatic(2, gop250, 96, 8));
    assertEquals(4, ChunkThreads.automatic(4, gop250, 5 * 32, 16));
  }

  @Test
  void partlyOverlappingChunksShareTheWorkersThreads() {
    // Pairs fit the budget, triples do not: two chunks at a time on four workers, so two threads each.
    assertEquals(2, ChunkThreads.automatic(4, same(16, 60), 150, 16));
  }

  @Test
  void theLastChunksOfOneThreadWorkersGetAThreadPerWorker() {
    assertEquals(2, ChunkThreads.tail(1, 2));
    assertEquals(4, ChunkThreads.tail(1, 4));
    // A single worker, or decoders already on FFmpeg's threads: unchanged.
    assertEquals(1, ChunkThreads.tail(1, 1));
    assertEquals(0, ChunkThreads.tail(0, 2));
    assertEquals(2, ChunkThreads.tail(2, 2));
  }

  @Test
  void oneWorkerOrFewerChunksThanWorkersLeaveItToFfmpeg() {
    assertEquals(0, ChunkThreads.automatic(1, same(8, 30), 64, 4));
    assertEquals(0, ChunkThreads.automatic(2, same(1, 30), 96, 8));
  }
}
