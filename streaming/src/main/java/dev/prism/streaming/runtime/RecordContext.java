package dev.prism.streaming.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One attempt at one input record. Outputs are buffered here and handed to the transactional
 * producer only when the handler returns or checkpoints, so a failed attempt never has to abort
 * the outputs of the records before it in the same transaction.
 */
final class RecordContext implements StageContext {
    private final StageWorker worker;
    private final ConsumerRecord<String, byte[]> record;
    private final int attempt;
    private final List<ProducerRecord<String, byte[]>> buffered = new ArrayList<>();
    private byte[] progress;
    private boolean checkpointed;
    private boolean handedBack;

    RecordContext(StageWorker worker, ConsumerRecord<String, byte[]> record, int attempt, byte[] progress) {
        this.worker = worker;
        this.record = record;
        this.attempt = attempt;
        this.progress = progress;
    }

    @Override
    public void send(String topic, String key, byte[] value) {
        send(topic, key, value, Map.of());
    }

    @Override
    public void send(String topic, String key, byte[] value, Map<String, byte[]> headers) {
        Objects.requireNonNull(topic, "output topic");
        worker.checkNotKilled();
        RecordHeaders h = new RecordHeaders();
        if (headers != null) {
            headers.forEach(h::add);
        }
        buffered.add(new ProducerRecord<>(topic, null, key, value, h));
    }

    @Override
    public void checkpoint(byte[] marker) {
        Objects.requireNonNull(marker, "checkpoint marker");
        worker.checkNotKilled();
        worker.checkpoint(this, marker);
        progress = marker.clone();
        checkpointed = true;
        if (worker.mustGiveUp(record)) {
            handedBack = true;
            throw new StageStoppedException("stage " + worker.stage() + " gives " + record.topic() + "-"
                    + record.partition() + "@" + record.offset() + " back after a checkpoint (shutdown or rebalance)");
        }
    }

    @Override
    public Optional<byte[]> progress() {
        return Optional.ofNullable(progress).map(byte[]::clone);
    }

    @Override
    public boolean stopping() {
        return worker.mustGiveUp(record);
    }

    @Override
    public int attempt() {
        return attempt;
    }

    ConsumerRecord<String, byte[]> record() {
        return record;
    }

    /** Takes the outputs buffered since the last call. */
    List<ProducerRecord<String, byte[]>> drain() {
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(buffered);
        buffered.clear();
        return out;
    }

    void discard() {
        buffered.clear();
    }

    /** The marker committed so far for this record (from an earlier delivery or this one). */
    byte[] currentProgress() {
        return progress;
    }

    /** True when a checkpoint exists for this record, so its completion must write a tombstone. */
    boolean hasProgress() {
        return progress != null || checkpointed;
    }

    boolean handedBack() {
        return handedBack;
    }
}
