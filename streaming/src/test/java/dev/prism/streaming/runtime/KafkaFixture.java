package dev.prism.streaming.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import dev.prism.streaming.broker.EmbeddedKafka;
import dev.prism.streaming.broker.TopicAdmin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One embedded broker shared by the runtime test classes of this JVM (tests use fresh topic names,
 * so they never see each other's records), plus plain-client helpers to feed and read topics.
 */
final class KafkaFixture implements AutoCloseable {
    private static KafkaFixture shared;

    final Path dir;
    final EmbeddedKafka kafka;

    private KafkaFixture() throws Exception {
        dir = Files.createTempDirectory("prism-kafka-test");
        kafka = EmbeddedKafka.start(dir, 0);
    }

    /** Starts the broker on first use; it is closed and deleted when the test JVM exits. */
    static synchronized KafkaFixture shared() throws Exception {
        if (shared == null) {
            KafkaFixture f = new KafkaFixture();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    f.close();
                } catch (Exception ignored) {
                    // JVM exit: a leftover temp dir is the worst outcome
                }
            }));
            shared = f;
        }
        return shared;
    }

    String bootstrap() {
        return kafka.bootstrapServers();
    }

    /** A fresh topic name per test so tests sharing a broker never see each other's records. */
    String topic(String base, int partitions) {
        String name = base + "-" + UUID.randomUUID().toString().substring(0, 8);
        TopicAdmin.ensureTopics(bootstrap(), Map.of(name, partitions), Set.of());
        return name;
    }

    void produce(String topic, List<String> keys, List<byte[]> values) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < keys.size(); i++) {
                producer.send(new ProducerRecord<>(topic, keys.get(i), values.get(i)));
            }
            producer.flush();
        }
    }

    void produceStrings(String topic, List<String> keys, List<String> values) throws Exception {
        produce(topic, keys, values.stream().map(KafkaFixture::utf8).toList());
    }

    /**
     * Reads a topic from the beginning with read_committed until {@code expected} records arrived,
     * then keeps reading for {@code settle} to catch anything extra (duplicates).
     */
    List<ConsumerRecord<String, byte[]>> readCommitted(String topic, int expected, Duration settle) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            long settleEnd = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < settleEnd) {
                c.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    static List<String> values(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> str(r.value())).toList();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static void await(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws Exception {
        kafka.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
