package dev.prism.streaming.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * A worker's transactional producer and what its open transaction holds: outputs, input offsets
 * and checkpoint changes, committed or aborted together. Used from the worker thread only.
 */
final class WorkerTransaction {
    private static final int COMMIT_TIMEOUT_RETRIES = 5;

    private final String bootstrap;
    private final StageSpec spec;
    private final int worker;
    private final ProgressView progress;
    private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    private final Map<String, byte[]> checkpoints = new HashMap<>();
    private KafkaProducer<String, byte[]> producer;
    private boolean open;
    private long openedNanos;
    private String source;
    private boolean inSend;
    private volatile RuntimeException refusedError;
    private volatile String refusedSource;

    WorkerTransaction(String bootstrap, StageSpec spec, int worker, ProgressView progress) {
        this.bootstrap = bootstrap;
        this.spec = spec;
        this.worker = worker;
        this.progress = progress;
        this.producer = newProducer();
    }

    private KafkaProducer<String, byte[]> newProducer() {
        KafkaProducer<String, byte[]> p = StageClients.producer(bootstrap, spec, worker);
        p.initTransactions();
        return p;
    }

    /** The input record (topic-partition@offset) whose outputs are being sent now. */
    void source(String coordinates) {
        source = coordinates;
    }

    boolean openLongerThan(Duration d) {
        return open && System.nanoTime() - openedNanos >= d.toNanos();
    }

    void offset(TopicPartition tp, long next) {
        offsets.put(tp, new OffsetAndMetadata(next));
    }

    /** A checkpoint ({@code value != null}) or a completion tombstone for a progress key. */
    void checkpoint(String key, byte[] value) {
        send(new ProducerRecord<>(progress.topic(), key, value));
        checkpoints.put(key, value);
    }

    void send(ProducerRecord<String, byte[]> out) {
        begin();
        // The producer refuses an oversized record inside send(), calling back on this thread; only
        // that case is pinned on the current input record. Later callbacks of other records fail
        // with the transaction's error too and must not be blamed.
        Thread self = Thread.currentThread();
        String from = source;
        inSend = true;
        try {
            producer.send(out, (md, e) -> {
                if (inSend && Thread.currentThread() == self && refusedError == null
                        && (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException)) {
                    refusedSource = from;
                    refusedError = (RuntimeException) e;
                }
            });
        } finally {
            inSend = false;
        }
    }

    private void begin() {
        if (!open) {
            producer.beginTransaction();
            open = true;
            openedNanos = System.nanoTime();
        }
    }

    /**
     * Commits; returns the committed next offsets (empty when there was nothing to commit).
     *
     * @throws KafkaException when the commit failed: the caller must {@link #abort()} and rewind
     */
    Map<TopicPartition, OffsetAndMetadata> commit(ConsumerGroupMetadata group) {
        if (!open && offsets.isEmpty()) {
            return Map.of();
        }
        begin();
        if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(offsets, group);
        }
        for (int i = 0; ; i++) {
            try {
                producer.commitTransaction();
                break;
            } catch (TimeoutException e) {
                // commitTransaction may be retried after a timeout; aborting instead could lose a commit that landed
                if (i >= COMMIT_TIMEOUT_RETRIES) {
                    throw e;
                }
            }
        }
        open = false;
        checkpoints.forEach(progress::committed);
        checkpoints.clear();
        Map<TopicPartition, OffsetAndMetadata> done = Map.copyOf(offsets);
        offsets.clear();
        return done;
    }

    /**
     * Aborts the open transaction and forgets what it held.
     *
     * @return "coordinates\u0000reason" of an input record whose output the producer refused, or null
     */
    String abort() {
        String refused = null;
        RuntimeException error = refusedError;
        if (error != null) {
            refused = refusedSource + '\u0000' + "an output of this record was refused by the broker: " + error.getMessage();
            refusedError = null;
        }
        if (open) {
            try {
                producer.abortTransaction();
            } catch (ProducerFencedException e) {
                throw e;
            } catch (KafkaException e) {
                // The producer is in a fatal state: a fresh one with the same transactional.id
                // aborts whatever the broker still holds open for it.
                producer.close(Duration.ZERO);
                producer = newProducer();
            }
        }
        open = false;
        offsets.clear();
        checkpoints.clear();
        return refused;
    }

    void close(boolean abrupt) {
        producer.close(abrupt ? Duration.ZERO : Duration.ofSeconds(10));
    }
}
