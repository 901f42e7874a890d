package dev.prism.ingest.segment;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The keyframe-parallel reassembly: results come back in chunk order whatever order the chunks
 * finish in, a slow chunk does not stop the other threads until the look-ahead is used up, the
 * frame budget bounds what is held, and failures and cancellation end cleanly.
 */
class OrderedChunksTest {

  /** Contexts running {@code body}, counting how many were opened and closed. */
  private static final class Counting {
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();

    OrderedChunks.Context<Integer> context(IntFunction<Integer> body) {
      opened.incrementAndGet();
      return new OrderedChunks.Context<>() {
        @Override
        public Integer run(int chunk) {
          return body.apply(chunk);
        }

        @Override
        public void close() {
          closed.incrementAndGet();
        }
      };
    }
  }

  @Test
  void resultsComeBackInChunkOrderWhateverOrderTheyFinishIn() throws Exception {
    Random rnd = new Random(7);
    int n = 40;
    int[] delays = new int[n];
    for (int i = 0; i < n; i++) {
      delays[i] = rnd.nextInt(4);
    }
    List<Integer> finished = Collections.synchronizedList(new ArrayList<>());
    Counting c = new Counting();
    // The first three chunks only finish once all three have started: proof they run at once.
    CountDownLatch together = new CountDownLatch(3);
    try (OrderedChunks<Integer> p = new OrderedChunks<>(new int[n], 10, 6, 3, () -> c.context(k -> {
      if (k < 3) {
        together.countDown();
        await(together);
      }
      sleep(delays[k]);
      finished.add(k);
      return k * 10;
    }), "test")) {
      for (int k = 0; k < n; k++) {
        assertEquals(k * 10, p.take());
      }
      assertThrows(IllegalStateException.class, p::take);
      p.close();
      assertEquals(3, p.maxActive());
      assertEquals(3, p.contextsOpened());
    }
    assertEquals(n, finished.size(), "every chunk ran exactly once");
    assertEquals(n, finished.stream().distinct().count());
    assertNotEquals(finished.stream().sorted().toList(), finished, "the random delays reordered completion");
    assertEquals(c.opened.get(), c.closed.get(), "every context closed");
  }

  @Test
  void aSlowChunkDoesNotStopTheOtherThreadBeforeTheLookAheadIsUsedUp() throws Exception {
    // Chunk 0 blocks until chunks 1..7 (the whole look-ahead of 8) are done: with a fixed window of
    // workers + 1 the second thread would stop after chunk 2 and this would never finish.
    CountDownLatch aheadDone = new CountDownLatch(7);
    Counting c = new Counting();
    try (OrderedChunks<Integer> p = new OrderedChunks<>(new int[12], 0, 8, 2, () -> c.context(k -> {
      if (k == 0) {
        await(aheadDone);
      } else if (k < 8) {
        aheadDone.countDown();
      }
      return k;
    }), "test")) {
      for (int k = 0; k < 12; k++) {
        assertEquals(k, p.take());
      }
    }
    assertEquals(0, aheadDone.getCount());
  }

  @Test
  void theFrameBudgetBoundsWhatIsHeldAheadOfDelivery() throws Exception {
    // Weight 10 each, budget 30: while chunk 0 is stuck, only chunks 1 and 2 may be taken.
    CountDownLatch twoAhead = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger started = new AtomicInteger();
    int[] weights = new int[10];
    java.util.Arrays.fill(weights, 10);
    Counting c = new Counting();
    try (OrderedChunks<Integer> p = new OrderedChunks<>(weights, 30, 100, 2, () -> c.context(k -> {
      started.incrementAndGet();
      if (k == 0) {
        await(release);
      } else {
        twoAhead.countDown();
      }
      return k;
    }), "test")) {
      assertTrue(twoAhead.await(10, TimeUnit.SECONDS));
      // Give a wrongly admitted chunk 3 the chance to start.
      sleep(200);
      assertEquals(3, started.get(), "chunks 0, 1, 2 only");
      release.countDown();
      for (int k = 0; k < 10; k++) {
        assertEquals(k, p.take());
      }
      p.close();
      assertEquals(30, p.maxHeld());
    }
  }

  @Test
  void aChunkHeavierThanTheBudgetStillRunsWhenItIsTheOldest() throws Exception {
    Counting c = new Counting();
    try (OrderedChunks<Integer> p = new OrderedChunks<>(new int[] {5, 50, 5}, 20, 4, 2, () -> c.context(k -> k), "test")) {
      assertEquals(0, p.take());
      assertEquals(1, p.take());
      assertEquals(2, p.take());
    }
  }

  @Test
  void aFailingChunkSurfacesInOrderAndCancellationClosesEveryContext() throws Exception {
    Counting c = new Counting();
    CountDownLatch never = new CountDownLatch(1);
    OrderedChunks<Integer> p = new OrderedChunks<>(new int[50], 0, 4, 2, () -> c.context(k -> {
      if (k == 2) {
        throw new IllegalArgumentException("chunk 2 is damaged");
      }
      if (k >= 4) {
        // Blocks until cancelled (interrupted).
        await(never);
      }
      return k;
    }), "test");
    assertEquals(0, p.take());
    assertEquals(1, p.take());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, p::take);
    assertEquals("chunk 2 is damaged", e.getMessage());
    p.close();
    assertEquals(2, c.opened.get());
    assertEquals(2, c.closed.get(), "both threads ended and closed their contexts");
  }

  @Test
  void theIdleCoreReplayFollowsThePolicy() {
    long[] slowHead = {10, 1, 1, 1, 1, 1};
    // Look-ahead 8: chunks 1-5 run beside chunk 0, which alone sets the end.
    assertEquals(10, OrderedChunks.makespan(slowHead, new int[6], 0, 8, 2));
    // A window of 3 in flight (workers + 1): chunk 3 waits for chunk 0's delivery at 10, then 3 and
    // 4 run at once and 5 follows.
    assertEquals(12, OrderedChunks.makespan(slowHead, new int[6], 0, 3, 2));
    // Budget 2 of weight 1 each: chunk 2 waits for chunk 0 (done at 4).
    assertEquals(5, OrderedChunks.makespan(new long[] {4, 1, 1, 1}, new int[] {1, 1, 1, 1}, 2, 10, 2));
    assertEquals(15, OrderedChunks.makespan(slowHead, new int[6], 0, 8, 1), "one thread: the sum");
    assertEquals(0, OrderedChunks.makespan(new long[0], new int[0], 0, 8, 2));
  }

  private static void sleep(int ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cancelled", e);
    }
  }

  private static void await(CountDownLatch l) {
    try {
      if (!l.await(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch timed out: the other chunks did not run ahead");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("cancelled", e);
    }
  }
}
