package dev.prism.streaming.runtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.prism.streaming.broker.TopicAdmin;
import org.apache.kafka.common.TopicPartition;

/**
 * consume -> transform -> produce with idempotent transactional producers (one per worker),
 * read_committed consumers, isolation per worker, retries with backoff, then the DLQ with the
 * original record (key, value, headers) plus headers prism.dlq.reason / .exception / .stage /
 * .topic / .partition / .offset / .attempts, graceful shutdown that finishes or hands back
 * in-flight work, {@code concurrency} workers in one consumer group (group id "prism-" + name) so
 * several processes of a stage share its partitions.
 *
 * <p>Exactly once inside Kafka: an input record's outputs, its offset commit and its dead letter
 * or checkpoint tombstone commit in one transaction. A handler may be run more than once for the
 * same record (after a crash, a rebalance or a failed commit), so side effects outside Kafka must
 * be idempotent (the media store's {@code put} overwrites).
 *
 * <p>On start the dead-letter topic and the compacted progress topic are created if missing; the
 * input topics must exist.
 */
public final class StageRuntime implements AutoCloseable {
    private final String bootstrap;
    private final StageSpec spec;
    private final StageHandler handler;
    private final StageListener listener;
    private final List<StageWorker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLongArray lags;
    private ProgressView progress;
    private volatile boolean started;
    private volatile boolean stopping;
    private volatile boolean killed;
    private volatile boolean closed;

    public StageRuntime(String bootstrap, StageSpec spec, StageHandler handler, StageListener listener) {
        this.bootstrap = Objects.requireNonNull(bootstrap, "bootstrap");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.listener = listener == null ? StageListener.NONE : listener;
        this.lags = new AtomicLongArray(spec.concurrency());
    }

    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("stage " + spec.name() + " was already started; create a new StageRuntime");
        }
        Set<String> missing = TopicAdmin.missingTopics(bootstrap, spec.inputTopics());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("stage " + spec.name() + ": input topics " + missing + " do not exist on "
                    + bootstrap + "; create them (TopicAdmin.ensureTopics) before starting the stage");
        }
        TopicAdmin.ensureTopics(bootstrap, Map.of(spec.dlqTopic(), 1, spec.progressTopic(), 1),
                Set.of(spec.progressTopic()));
        progress = new ProgressView(bootstrap, spec.name(), spec.progressTopic());
        progress.catchUp();
        for (int i = 0; i < spec.concurrency(); i++) {
            StageWorker w = new StageWorker(this, bootstrap, spec, handler, listener, progress, i);
            Thread t = new Thread(w, "prism-" + spec.name() + "-" + i);
            t.setDaemon(true);
            workers.add(w);
            threads.add(t);
        }
        started = true;
        threads.forEach(Thread::start);
    }

    public StageSpec spec() {
        return spec;
    }

    /** For readiness: started, not shutting down, and every worker still alive. */
    public boolean isRunning() {
        if (!started || stopping || killed) {
            return false;
        }
        for (int i = 0; i < threads.size(); i++) {
            if (!threads.get(i).isAlive() || workers.get(i).fatal() != null) {
                return false;
            }
        }
        return true;
    }

    /** The first error that stopped a worker, or null. */
    public Throwable failure() {
        for (StageWorker w : workers) {
            if (w.fatal() != null) {
                return w.fatal();
            }
        }
        return null;
    }

    /** The input partitions this process's workers own now. */
    public Set<TopicPartition> assignment() {
        Set<TopicPartition> all = new HashSet<>();
        for (StageWorker w : workers) {
            all.addAll(w.assignment());
        }
        return all;
    }

    /** Graceful: stop polling, let in-flight records finish or checkpoint, commit, leave the group. */
    @Override
    public void close() {
        synchronized (this) {
            if (!started || closed) {
                return;
            }
            closed = true;
            stopping = true;
        }
        long deadline = System.nanoTime() + spec.closeTimeout().toNanos();
        for (Thread t : threads) {
            joinUntil(t, deadline);
        }
        if (threads.stream().anyMatch(Thread::isAlive)) {
            kill();
            return;
        }
        progress.close();
    }

    /** Abrupt, for tests: no commit, no clean leave (simulates a crash). */
    public void kill() {
        synchronized (this) {
            if (!started || killed) {
                return;
            }
            closed = true;
            killed = true;
        }
        for (int i = 0; i < threads.size(); i++) {
            workers.get(i).wakeup();
            threads.get(i).interrupt();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : threads) {
            joinUntil(t, deadline);
        }
        progress.close();
    }

    boolean stopping() {
        return stopping;
    }

    boolean killed() {
        return killed;
    }

    void reportLag(int worker, long lag) {
        lags.set(worker, lag);
        long total = 0;
        for (int i = 0; i < lags.length(); i++) {
            total += lags.get(i);
        }
        listener.lag(spec.name(), total);
    }

    private static void joinUntil(Thread t, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
