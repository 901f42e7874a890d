package dev.prism.codecs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The encoder's worker threads, shared by every stream in the process: daemon threads that the
 * cached pool retires after a minute idle, so nothing needs closing. {@link #run} splits a range of
 * frames into contiguous slices, runs the first on the calling thread and the others here, and
 * returns when all are done; the caller's output never depends on the split.
 */
final class EncodeWorkers {
    /** Name prefix of the worker threads (benchmarks sum their CPU time). */
    static final String THREAD_PREFIX = "prism-codec-encode-";
    /** Fewer frames than this per slice are not worth a hand-off. */
    static final int MIN_SLICE = 4;

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, THREAD_PREFIX + SEQ.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** Work on frames {@code [start, start + count)}. */
    interface Slice {
        void run(int start, int count);
    }

    private EncodeWorkers() {
    }

    /** Runs {@code work} over {@code [0, count)} in at most {@code threads} contiguous slices. */
    static void run(int count, int threads, Slice work) {
        int slices = Math.max(1, Math.min(threads, count / MIN_SLICE));
        if (slices == 1) {
            work.run(0, count);
            return;
        }
        List<Future<?>> pending = new ArrayList<>(slices - 1);
        for (int s = 1; s < slices; s++) {
            int from = (int) ((long) count * s / slices);
            int to = (int) ((long) count * (s + 1) / slices);
            pending.add(POOL.submit(() -> work.run(from, to - from)));
        }
        work.run(0, (int) ((long) count / slices));
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while encoder threads were quantizing", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) {
                    throw re;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(c);
            }
        }
    }
}
