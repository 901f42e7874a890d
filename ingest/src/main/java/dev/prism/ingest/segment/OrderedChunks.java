package dev.prism.ingest.segment;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * QuickVideo's reassembly step (papers.md, "QuickVideo"): runs chunks {@code 0..n-1} on a fixed set
 * of threads, each with its own context, and hands the results back in chunk order. A free thread
 * always takes the lowest chunk not yet taken, so a slow chunk holds up nothing but its own
 * delivery: the others keep decoding ahead of it until the look-ahead is used up. The look-ahead
 * is bounded by the weight (frames held in memory) of the chunks taken but not yet delivered and
 * by their number; the oldest undelivered chunk is always admitted, so a single chunk heavier than
 * the budget still runs, alone.
 */
final class OrderedChunks<R> implements AutoCloseable {

  /** One thread's decoding context. */
  interface Context<R> extends AutoCloseable {
    R run(int chunk);

    @Override
    void close();
  }

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private final int[] weights;
  private final long budget;
  private final int maxAhead;
  private final Supplier<? extends Context<R>> contexts;
  private final Object[] done;
  private final List<Thread> threads = new ArrayList<>();
  private final Object lock = new Object();
  private int taken;
  private int delivered;
  private long held;
  private boolean stopped;
  // Diagnostics (read after close): proof of concurrency and the cost of waiting for admission.
  private int active;
  private int maxActive;
  private long maxHeld;
  private int contextsOpened;
  private long busyNanos;
  private long cpuNanos;
  private long maxThreadCpuNanos;
  private final long[] chunkCpuNanos;

  private record Failed(Throwable error) {}

  /**
   * @param weights per chunk, what it holds until delivered (sampled frames kept in memory)
   * @param budget most total weight of the chunks taken but not delivered (the oldest is exempt)
   * @param maxAhead most chunks taken but not delivered
   */
  OrderedChunks(int[] weights, long budget, int maxAhead, int threads, Supplier<? extends Context<R>> contexts, String name) {
    this.weights = weights.clone();
    this.budget = budget;
    this.maxAhead = Math.max(1, maxAhead);
    this.contexts = contexts;
    this.done = new Object[weights.length];
    this.chunkCpuNanos = new long[weights.length];
    for (int i = 0; i < Math.min(threads, weights.length); i++) {
      Thread t = new Thread(this::work, name);
      t.setDaemon(true);
      this.threads.add(t);
    }
    this.threads.forEach(Thread::start);
  }

  /** The next chunk's result in order; rethrows what the chunk's thread threw. */
  R take() throws InterruptedException {
    Object r;
    synchronized (lock) {
      if (delivered == done.length) {
        throw new IllegalStateException("every chunk was already delivered");
      }
      while (done[delivered] == null) {
        lock.wait();
      }
      r = done[delivered];
      done[delivered] = null;
      held -= weights[delivered];
      delivered++;
      lock.notifyAll();
    }
    if (r instanceof Failed f) {
      if (f.error instanceof RuntimeException e) {
        throw e;
      }
      if (f.error instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException(f.error);
    }
    @SuppressWarnings("unchecked")
    R result = (R) r;
    return result;
  }

  private void work() {
    Context<R> ctx = null;
    long cpu0 = CPU.getCurrentThreadCpuTime();
    try {
      while (true) {
        int k;
        synchronized (lock) {
          while (!stopped && taken < done.length && !admissible(taken)) {
            lock.wait();
          }
          if (stopped || taken == done.length) {
            return;
          }
          k = taken++;
          held += weights[k];
          maxHeld = Math.max(maxHeld, held);
          maxActive = Math.max(maxActive, ++active);
        }
        long t0 = System.nanoTime();
        long c0 = CPU.getCurrentThreadCpuTime();
        Object r;
        try {
          if (ctx == null) {
            ctx = contexts.get();
            synchronized (lock) {
              contextsOpened++;
            }
          }
          r = ctx.run(k);
        } catch (Throwable e) {
          r = new Failed(e);
        }
        synchronized (lock) {
          active--;
          busyNanos += System.nanoTime() - t0;
          chunkCpuNanos[k] = CPU.getCurrentThreadCpuTime() - c0;
          done[k] = r;
          lock.notifyAll();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (ctx != null) {
        ctx.close();
      }
      long cpu = CPU.getCurrentThreadCpuTime() - cpu0;
      synchronized (lock) {
        cpuNanos += cpu;
        maxThreadCpuNanos = Math.max(maxThreadCpuNanos, cpu);
      }
    }
  }

  private boolean admissible(int k) {
    return k == delivered || (k - delivered < maxAhead && held + weights[k] <= budget);
  }

  /** Stops the threads (interrupting chunks in progress), waits for them and closes their contexts. */
  @Override
  public void close() {
    synchronized (lock) {
      stopped = true;
      lock.notifyAll();
    }
    for (Thread t : threads) {
      t.interrupt();
    }
    boolean interrupted = false;
    for (Thread t : threads) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Most chunks that ran at the same moment. */
  int maxActive() {
    synchronized (lock) {
      return maxActive;
    }
  }

  /** Highest total weight held at once (taken, not yet delivered). */
  long maxHeld() {
    synchronized (lock) {
      return maxHeld;
    }
  }

  int contextsOpened() {
    synchronized (lock) {
      return contextsOpened;
    }
  }

  /** Wall nanoseconds the threads spent running chunks, summed. */
  long busyNanos() {
    synchronized (lock) {
      return busyNanos;
    }
  }

  /** CPU nanoseconds of all the threads (after {@link #close()}), and of the busiest one. */
  long[] cpuNanos() {
    synchronized (lock) {
      return new long[] {cpuNanos, maxThreadCpuNanos};
    }
  }

  /**
   * The wall time the chunks would take on idle cores: this scheduling policy replayed with each
   * chunk lasting the CPU time it really took (after {@link #close()}). Load on a shared machine
   * stretches wall time and unbalances the threads; it barely changes each chunk's CPU time.
   */
  long idleCoreNanos() {
    return idleCoreNanos(budget, maxAhead);
  }

  /** {@link #idleCoreNanos()} under another look-ahead (to compare policies on the same chunks). */
  long idleCoreNanos(long budget, int maxAhead) {
    synchronized (lock) {
      return makespan(chunkCpuNanos, weights, budget, maxAhead, threads.size());
    }
  }

  /**
   * Replays the policy: each free thread takes the lowest chunk not yet taken once it is
   * admissible, results are delivered the moment they are done and in order. Returns when the
   * last chunk finishes.
   */
  static long makespan(long[] cost, int[] weights, long budget, int maxAhead, int threads) {
    int n = cost.length;
    long[] free = new long[Math.max(1, Math.min(threads, n))];
    long[] finish = new long[n];
    int next = 0;
    int delivered = 0;
    long held = 0;
    long end = 0;
    while (next < n) {
      int th = 0;
      for (int i = 1; i < free.length; i++) {
        th = free[i] < free[th] ? i : th;
      }
      long t = free[th];
      while (delivered < next && finish[delivered] <= t) {
        held -= weights[delivered++];
      }
      if (next == delivered || (next - delivered < maxAhead && held + weights[next] <= budget)) {
        finish[next] = t + cost[next];
        held += weights[next];
        free[th] = finish[next];
        end = Math.max(end, finish[next]);
        next++;
      } else {
        // Waits for the oldest undelivered chunk, which some thread is running.
        free[th] = finish[delivered];
      }
    }
    return end;
  }

  int threadCount() {
    return threads.size();
  }
}
