package dev.prism.streaming.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
    @TempDir
    Path dir;

    @Test
    void recordsWrittenBeforeARestartAreReadAfterItOnTheSamePortAndCluster() throws Exception {
        Path data = dir.resolve("kafka");
        String bootstrap;
        String clusterId;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data, 0)) {
            bootstrap = kafka.bootstrapServers();
            kafka.createTopics(List.of("survivor"), 2);
            clusterId = clusterId(bootstrap);
            try (KafkaProducer<String, String> p = producer(bootstrap)) {
                for (int i = 0; i < 10; i++) {
                    p.send(new ProducerRecord<>("survivor", "k" + i, "v" + i)).get();
                }
            }
        }
        assertTrue(Files.exists(data.resolve("prism-kafka.properties")));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data, 0)) {
            assertEquals(bootstrap, kafka.bootstrapServers(), "port 0 must reuse the persisted port");
            assertEquals(clusterId, clusterId(bootstrap), "cluster id must survive the restart");
            List<String> values = readAll(bootstrap, "survivor", 10);
            assertEquals(10, values.size());
            for (int i = 0; i < 10; i++) {
                assertTrue(values.contains("v" + i), "missing v" + i + " in " + values);
            }
        }
    }

    @Test
    void ensureTopicsIsIdempotentAndCompactsOnlyTheNamedTopics() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("k2"), 0)) {
            String b = kafka.bootstrapServers();
            TopicAdmin.ensureTopics(b, Map.of("plain", 3, "progress", 1), Set.of("progress"));
            TopicAdmin.ensureTopics(b, Map.of("plain", 5, "progress", 1), Set.of("progress"));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, b))) {
                Map<String, TopicDescription> d = admin.describeTopics(List.of("plain", "progress"))
                        .allTopicNames().get(30, TimeUnit.SECONDS);
                assertEquals(3, d.get("plain").partitions().size(), "existing topic must not be re-partitioned");
                var cfgs = admin.describeConfigs(List.of(
                        new ConfigResource(ConfigResource.Type.TOPIC, "plain"),
                        new ConfigResource(ConfigResource.Type.TOPIC, "progress"))).all().get(30, TimeUnit.SECONDS);
                assertEquals("compact", cfgs.get(new ConfigResource(ConfigResource.Type.TOPIC, "progress"))
                        .get("cleanup.policy").value());
                assertEquals("delete", cfgs.get(new ConfigResource(ConfigResource.Type.TOPIC, "plain"))
                        .get("cleanup.policy").value());
            }
            assertThrows(BrokerException.class, () -> TopicAdmin.ensureTopics(b, Map.of("bad", 0), Set.of()));
        }
    }

    @Test
    void aSecondBrokerOnTheSameDirectoryOrATakenPortFailsWithAClearErrorInsteadOfExitingTheJvm() throws Exception {
        Path data = dir.resolve("shared");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(data, 0)) {
            BrokerException e = assertThrows(BrokerException.class, () -> EmbeddedKafka.start(data, 0));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            BrokerException p = assertThrows(BrokerException.class,
                    () -> EmbeddedKafka.start(dir.resolve("other"), kafka.port()));
            assertTrue(p.getMessage().contains("port " + kafka.port()), p.getMessage());
            assertEquals(1, clusterIdCount(kafka.bootstrapServers()), "the first broker still answers");
        }
    }

    private static int clusterIdCount(String bootstrap) throws Exception {
        return clusterId(bootstrap) == null ? 0 : 1;
    }

    private static String clusterId(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    static List<String> readAll(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }

}
