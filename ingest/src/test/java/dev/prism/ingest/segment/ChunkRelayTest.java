package dev.prism.ingest.segment;

import static org.junit.jupiter.api.Assertions.*;

import dev.prism.ingest.MediaException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/** {@link ChunkRelay}: every frame reaches the queue exactly once, in order, whenever the chunk may stream. */
class ChunkRelayTest {

  private static VideoFrame frame(int i) {
    return new VideoFrame(i, 1, 1, new byte[] {(byte) i, 0, 0});
  }

  private static List<Double> times(BlockingQueue<Object> q) {
    List<Double> t = new ArrayList<>();
    for (Object o : q) {
      t.add(((VideoFrame) o).ptsSeconds());
    }
    return t;
  }

  @Test
  void theStreamingChunkPassesEveryFrameOnAndHoldsNone() {
    BlockingQueue<Object> q = new ArrayBlockingQueue<>(16);
    ChunkRelay relay = new ChunkRelay(q, "test");
    relay.advance(0);
    ChunkRelay.Sink s = relay.sink(0);
    for (int i = 0; i < 5; i++) {
      s.accept(frame(i));
    }
    assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0), times(q));
    assertTrue(s.held().isEmpty());
    assertEquals(5, relay.passed());
  }

  @Test
  void aChunkThatBecomesTheOldestMidwayFirstEmptiesWhatItHeldInOrder() {
    BlockingQueue<Object> q = new ArrayBlockingQueue<>(16);
    ChunkRelay relay = new ChunkRelay(q, "test");
    ChunkRelay.Sink s = relay.sink(1);
    s.accept(frame(10));
    s.accept(frame(11));
    assertTrue(q.isEmpty(), "chunk 1 holds its frames while chunk 0 is undelivered");
    relay.advance(1);
    s.accept(frame(12));
    s.accept(frame(13));
    assertEquals(List.of(10.0, 11.0, 12.0, 13.0), times(q));
    assertTrue(s.held().isEmpty(), "nothing left for the reassembling thread to deliver a second time");
    assertEquals(4, relay.passed());
  }

  @Test
  void chunksAheadOfTheStreamingOneHoldTheirFramesForTheReassemblingThread() {
    BlockingQueue<Object> q = new ArrayBlockingQueue<>(16);
    ChunkRelay relay = new ChunkRelay(q, "test");
    relay.advance(2);
    ChunkRelay.Sink ahead = relay.sink(3);
    ahead.accept(frame(30));
    ahead.accept(frame(31));
    assertTrue(q.isEmpty());
    assertEquals(List.of(30.0, 31.0), ahead.held().stream().map(VideoFrame::ptsSeconds).toList());
    // Chunk 3 finished before it became the oldest: it never passes anything on afterwards.
    relay.advance(3);
    assertEquals(0, relay.passed());
    assertEquals(2, ahead.held().size());
  }

  @Test
  void aCancelledWorkerBlockedOnAFullQueueEndsWithACancellation() {
    BlockingQueue<Object> q = new ArrayBlockingQueue<>(1);
    q.add("full");
    ChunkRelay relay = new ChunkRelay(q, "clip.mp4");
    relay.advance(0);
    ChunkRelay.Sink s = relay.sink(0);
    Thread.currentThread().interrupt();
    try {
      MediaException e = assertThrows(MediaException.class, () -> s.accept(frame(0)));
      assertEquals(MediaException.Kind.CANCELLED, e.kind());
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays visible to the worker loop");
    } finally {
      Thread.interrupted();
    }
  }
}
