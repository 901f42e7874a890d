package dev.prism.streaming.runtime;

import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The client settings of one stage worker, in one place. */
final class StageClients {
    private StageClients() {
    }

    /**
     * read_committed so a stage never sees outputs of aborted transactions; manual offsets (they are
     * committed inside the output transaction); cooperative rebalancing so adding a process only
     * moves the partitions it takes, without stopping the others.
     */
    static KafkaConsumer<String, byte[]> consumer(String bootstrap, StageSpec spec, int worker) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, spec.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId(spec, worker));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, spec.maxPollRecords());
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, millis(spec.maxPollInterval()));
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, millis(spec.sessionTimeout()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, Math.min(3000, millis(spec.sessionTimeout()) / 3)));
        // Bounds what a worker prefetches beyond the records it is working on (default 50 MB).
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Idempotent and transactional; the transactional.id is unique per stage, process and worker. */
    static KafkaProducer<String, byte[]> producer(String bootstrap, StageSpec spec, int worker) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId(spec, worker));
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(spec, worker));
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, millis(spec.transactionTimeout()));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    static String transactionalId(StageSpec spec, int worker) {
        return "prism-" + spec.name() + "-" + spec.instanceId() + "-" + worker;
    }

    private static String clientId(StageSpec spec, int worker) {
        return "prism-" + spec.name() + "-" + spec.instanceId() + "-" + worker;
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }
}
