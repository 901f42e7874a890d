package dev.prism.streaming.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * This stage's checkpoints, read from the compacted progress topic. Keys are
 * {@code stage|topic|partition|offset}; a tombstone marks a record that completed. The view is
 * brought up to date at start and whenever a worker is given partitions (another process may have
 * checkpointed them before it crashed), and updated locally after each of our own commits.
 */
final class ProgressView implements AutoCloseable {
    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(30);

    private final String stage;
    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, byte[]> entries = new ConcurrentHashMap<>();

    ProgressView(String bootstrap, String stage, String topic) {
        this.stage = stage;
        this.topic = topic;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "prism-" + stage + "-progress-" + System.identityHashCode(this));
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, CATCH_UP_LIMIT)) {
            parts.add(new TopicPartition(topic, info.partition()));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    static String key(String stage, String topic, int partition, long offset) {
        return stage + '|' + topic + '|' + partition + '|' + offset;
    }

    String topic() {
        return topic;
    }

    /** Reads every committed checkpoint written since the last call. */
    synchronized void catchUp() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), CATCH_UP_LIMIT);
        long deadline = System.nanoTime() + CATCH_UP_LIMIT.toNanos();
        while (!caughtUp(end)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("progress topic " + topic + " could not be read to its end within "
                        + CATCH_UP_LIMIT.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.key() == null || !r.key().startsWith(stage + '|')) {
                    continue;
                }
                if (r.value() == null) {
                    entries.remove(r.key());
                } else {
                    entries.put(r.key(), r.value());
                }
            }
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), CATCH_UP_LIMIT) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    Optional<byte[]> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** After our own commit: a checkpoint ({@code value != null}) or a completion (null). */
    void committed(String key, byte[] value) {
        if (value == null) {
            entries.remove(key);
        } else {
            entries.put(key, value);
        }
    }

    int size() {
        return entries.size();
    }

    @Override
    public synchronized void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
