package dev.prism.streaming.runtime;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/**
 * One worker of a stage: a consumer and a transactional producer driven synchronously by one
 * thread, so at most {@code maxPollRecords} records are in flight per worker (flat memory).
 *
 * <p>Transactions: the outputs of the records of a poll batch, their offsets (via
 * {@code sendOffsetsToTransaction} with the consumer's group metadata, which fences a worker that
 * lost its partitions) and progress tombstones commit together. A failed handler attempt never
 * aborts anything, since its outputs are buffered in its {@link RecordContext}; only a failed
 * commit or send aborts the transaction, after which every touched partition is rewound to its
 * last committed offset and the rest of the batch is dropped (it is polled again).
 */
final class StageWorker implements Runnable, ConsumerRebalanceListener {
    private static final Duration POLL = Duration.ofMillis(100);

    private final StageRuntime runtime;
    private final StageSpec spec;
    private final StageHandler handler;
    private final StageListener listener;
    private final ProgressView progress;
    private final String bootstrap;
    private final int index;
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();

    private KafkaConsumer<String, byte[]> consumer;
    private WorkerTransaction txn;
    private boolean rewound;
    private boolean inKeepAlive;
    private final Map<TopicPartition, Long> rewindTo = new HashMap<>();
    private final Set<TopicPartition> lostDuringRecord = new HashSet<>();
    private final Set<TopicPartition> reassigned = new HashSet<>();
    private final Map<String, String> refusedOutputs = new HashMap<>();
    private volatile Throwable fatal;
    private long lastLagNanos;

    StageWorker(StageRuntime runtime, String bootstrap, StageSpec spec, StageHandler handler, StageListener listener,
                ProgressView progress, int index) {
        this.runtime = runtime;
        this.bootstrap = bootstrap;
        this.spec = spec;
        this.handler = handler;
        this.listener = listener;
        this.progress = progress;
        this.index = index;
    }

    @Override
    public void run() {
        try {
            txn = new WorkerTransaction(bootstrap, spec, index, progress);
            consumer = StageClients.consumer(bootstrap, spec, index);
            consumer.subscribe(spec.inputTopics(), this);
            while (!runtime.stopping() && !runtime.killed()) {
                ConsumerRecords<String, byte[]> batch = consumer.poll(POLL);
                reportLag();
                if (!batch.isEmpty()) {
                    processBatch(batch);
                }
            }
        } catch (Throwable t) {
            if (!runtime.killed()) {
                fatal = t;
                listener.failed(spec.name(), t);
            }
        } finally {
            closeClients(runtime.killed());
        }
    }

    private void processBatch(ConsumerRecords<String, byte[]> batch) {
        Set<TopicPartition> skip = new HashSet<>();
        reassigned.clear();
        rewound = false;
        for (ConsumerRecord<String, byte[]> r : batch) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            // A partition given to us again during a checkpoint restarts from its committed offset:
            // what is left of it in this batch will be fetched again.
            if (skip.contains(tp) || reassigned.contains(tp) || !assigned.contains(tp)) {
                continue;
            }
            if (runtime.stopping()) {
                break;
            }
            rewindTo.putIfAbsent(tp, r.offset());
            boolean done;
            try {
                done = processRecord(r, tp);
            } catch (ProducerFencedException e) {
                throw e;
            } catch (KafkaException e) {
                abortAndRewind(e);
                return;
            }
            if (rewound) {
                rewound = false;
                return;
            }
            if (!done) {
                skip.add(tp);
                if (assigned.contains(tp)) {
                    consumer.seek(tp, r.offset());
                }
                continue;
            }
            txn.offset(tp, r.offset() + 1);
            if (txn.openLongerThan(spec.commitInterval()) && !commit()) {
                rewound = false;
                return;
            }
        }
        commit();
        rewound = false;
    }

    /** @return true when the record is done (output or dead-lettered), false when it is handed back */
    private boolean processRecord(ConsumerRecord<String, byte[]> r, TopicPartition tp) {
        listener.recordIn(spec.name());
        String key = ProgressView.key(spec.name(), r.topic(), r.partition(), r.offset());
        byte[] marker = progress.get(key).orElse(null);
        String refused = refusedOutputs.remove(coordinates(r));
        if (refused != null) {
            deadLetter(r, refused, RecordTooLargeException.class.getName(), 1, marker != null, key);
            return true;
        }
        for (int attempt = 1; ; attempt++) {
            lostDuringRecord.clear();
            RecordContext ctx = new RecordContext(this, r, attempt, marker);
            txn.source(coordinates(r));
            long t0 = System.nanoTime();
            Exception failure = null;
            try {
                handler.handle(r, ctx);
            } catch (Exception e) {
                failure = e;
            }
            checkNotKilled();
            if (ctx.handedBack() || rewound) {
                return false;
            }
            marker = ctx.currentProgress();
            if (failure == null) {
                flush(ctx);
                if (ctx.hasProgress()) {
                    sendProgress(key, null);
                }
                listener.processed(spec.name(), System.nanoTime() - t0);
                return true;
            }
            ctx.discard();
            listener.failed(spec.name(), failure);
            if (failure instanceof NonRetryableException || attempt >= spec.retry().maxAttempts()) {
                deadLetter(r, failure.getMessage(), failure.getClass().getName(), attempt, ctx.hasProgress(), key);
                listener.processed(spec.name(), System.nanoTime() - t0);
                return true;
            }
            if (!commit() || !backoff(spec.retry().backoffAfter(attempt), tp)) {
                return false;
            }
        }
    }

    /** Waits before the next attempt; false when the record must be given up meanwhile. */
    private boolean backoff(Duration wait, TopicPartition tp) {
        long until = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < until) {
            if (runtime.stopping() || runtime.killed()) {
                return false;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(100, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        keepAlive();
        return assigned.contains(tp) && !lostDuringRecord.contains(tp);
    }

    /** Called by the handler's context: commit outputs and the marker, then keep the membership alive. */
    void checkpoint(RecordContext ctx, byte[] marker) {
        ConsumerRecord<String, byte[]> r = ctx.record();
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (rewound) {
            // An earlier checkpoint of this record failed and the handler went on anyway.
            throw new StageStoppedException("stage " + spec.name() + " already gave " + coordinates(r) + " back");
        }
        try {
            flush(ctx);
            sendProgress(ProgressView.key(spec.name(), r.topic(), r.partition(), r.offset()), marker.clone());
            // Committing the record's own offset (not past it) changes nothing for the group, but
            // makes the broker reject this checkpoint if the group has given the partition away.
            txn.offset(tp, r.offset());
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            abortAndRewind(e);
        }
        if (rewound || !commit()) {
            throw new StageStoppedException("checkpoint of " + coordinates(r) + " in stage " + spec.name()
                    + " was not committed; the record is handed back");
        }
        keepAlive();
    }

    boolean mustGiveUp(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        return runtime.stopping() || runtime.killed() || rewound || !assigned.contains(tp) || lostDuringRecord.contains(tp);
    }

    void checkNotKilled() {
        if (runtime.killed()) {
            throw new KilledSignal();
        }
    }

    String stage() {
        return spec.name();
    }

    /** poll(0) with every partition paused: satisfies max.poll.interval and runs rebalance callbacks, fetches nothing. */
    private void keepAlive() {
        Set<TopicPartition> wasPaused = new HashSet<>(consumer.paused());
        consumer.pause(consumer.assignment());
        inKeepAlive = true;
        try {
            ConsumerRecords<String, byte[]> stray = consumer.poll(Duration.ZERO);
            for (TopicPartition tp : stray.partitions()) {
                consumer.seek(tp, stray.records(tp).get(0).offset());
            }
        } finally {
            inKeepAlive = false;
        }
        Set<TopicPartition> resume = new HashSet<>(consumer.assignment());
        resume.removeAll(wasPaused);
        consumer.resume(resume);
    }

    private void flush(RecordContext ctx) {
        for (ProducerRecord<String, byte[]> out : ctx.drain()) {
            send(out);
            listener.recordOut(spec.name(), out.topic());
        }
    }

    private void sendProgress(String key, byte[] value) {
        txn.checkpoint(key, value);
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String reason, String exception, int attempts,
                            boolean hasProgress, String progressKey) {
        send(DeadLetters.of(spec.dlqTopic(), spec.name(), r, reason, exception, attempts));
        if (hasProgress) {
            sendProgress(progressKey, null);
        }
        listener.deadLettered(spec.name());
    }

    private void send(ProducerRecord<String, byte[]> out) {
        txn.send(out);
    }

    /** Commits the open transaction; false (after aborting and rewinding) when that failed. */
    private boolean commit() {
        try {
            txn.commit(consumer.groupMetadata()).forEach((tp, om) -> rewindTo.put(tp, om.offset()));
            return true;
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            abortAndRewind(e);
            return false;
        }
    }

    /** Aborts, then puts every partition touched since the last commit back to its first uncommitted offset. */
    private void abortAndRewind(KafkaException cause) {
        checkNotKilled();
        listener.failed(spec.name(), cause);
        String refused = txn.abort();
        if (refused != null) {
            int cut = refused.indexOf('\u0000');
            refusedOutputs.put(refused.substring(0, cut), refused.substring(cut + 1));
        }
        rewindTo.forEach((tp, offset) -> {
            if (assigned.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
        rewindTo.clear();
        rewound = true;
    }

    private void reportLag() {
        long now = System.nanoTime();
        if (now - lastLagNanos < 1_000_000_000L) {
            return;
        }
        lastLagNanos = now;
        long lag = 0;
        for (TopicPartition tp : assigned) {
            lag += consumer.currentLag(tp).orElse(0);
        }
        runtime.reportLag(index, lag);
    }

    private void closeClients(boolean abrupt) {
        try {
            if (consumer != null) {
                if (abrupt) {
                    consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
                            .withTimeout(Duration.ZERO));
                } else {
                    consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
                }
            }
        } catch (RuntimeException ignored) {
            // closing a client that already failed: nothing left to save
        }
        try {
            if (txn != null) {
                txn.close(abrupt);
            }
        } catch (RuntimeException ignored) {
            // as above
        }
        assigned.clear();
    }

    void wakeup() {
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    Set<TopicPartition> assignment() {
        return Set.copyOf(assigned);
    }

    Throwable fatal() {
        return fatal;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        assigned.removeAll(partitions);
        lostDuringRecord.addAll(partitions);
        partitions.forEach(rewindTo::remove);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        progress.catchUp();
        assigned.addAll(partitions);
        reassigned.addAll(partitions);
        if (inKeepAlive) {
            consumer.pause(partitions);
        }
    }

    private static String coordinates(ConsumerRecord<String, byte[]> r) {
        return r.topic() + "-" + r.partition() + "@" + r.offset();
    }

    /** Unwinds a worker thread after {@link StageRuntime#kill()}: an Error so handlers' catch blocks pass it on. */
    static final class KilledSignal extends Error {
        KilledSignal() {
            super("stage runtime killed", null, false, false);
        }
    }
}
