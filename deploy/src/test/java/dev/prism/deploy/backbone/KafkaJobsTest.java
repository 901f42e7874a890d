package dev.prism.deploy.backbone;

import static org.junit.jupiter.api.Assertions.*;

import dev.prism.deploy.PrismRuntime;
import dev.prism.deploy.TestMedia;
import dev.prism.streaming.events.CodecFrame;
import dev.prism.streaming.events.EventCodec;
import dev.prism.streaming.events.JobEvent;
import dev.prism.streaming.events.JobRequest;
import dev.prism.streaming.runtime.DeadLetters;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Teams that only speak Kafka: jobs produced to prism.jobs, results read from the output topics. */
@QuarkusTest
class KafkaJobsTest {

    @Inject
    PrismRuntime runtime;

    @Test
    void jobProducedToTheJobsTopicYieldsCodecFramesOnTheOutputTopicExactlyOnce() throws Exception {
        String id = "kafka-" + UUID.randomUUID().toString().substring(0, 8);
        JobRequest job = new JobRequest(id, TestMedia.clip(4).toUri().toString(), "clip.mp4", List.of("codec"), 1, 1.0,
                null, Map.of(), System.currentTimeMillis());
        produce(runtime.backbone().topics().jobs(), id, EventCodec.encode(job));

        List<CodecFrame> frames = new ArrayList<>();
        consumeUntil(runtime.backbone().topics().audioCodes(), id, r -> {
            CodecFrame f = EventCodec.decode(r.value(), CodecFrame.class);
            frames.add(f);
            return f.last();
        });
        Set<Integer> segments = new HashSet<>();
        frames.forEach(f -> assertTrue(segments.add(f.segment()), "segment " + f.segment() + " delivered twice"));
        assertEquals(4, frames.size(), "1 s segments of a 4 s clip");
        for (int i = 0; i < frames.size(); i++) assertEquals(i, frames.get(i).segment(), "in order per job");
        assertTrue(frames.stream().mapToInt(f -> f.payload().length).sum() > 100, "codec bytes were produced");
    }

    @Test
    void poisonRecordGoesToTheDlqWithItsReasonAndTheStageKeepsConsuming() throws Exception {
        String key = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        byte[] garbage = "this is not a Prism job".getBytes(StandardCharsets.UTF_8);
        produce(runtime.backbone().topics().jobs(), key, garbage);

        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        consumeUntil(runtime.backbone().topics().dlq(), key, r -> {
            dead.add(r);
            return true;
        });
        ConsumerRecord<String, byte[]> r = dead.get(0);
        assertArrayEquals(garbage, r.value(), "the DLQ holds the original bytes");
        String reason = new String(r.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("not a Prism job request"), reason);
        assertEquals("decode", new String(r.headers().lastHeader(DeadLetters.STAGE).value(), StandardCharsets.UTF_8));

        // the decode stage still serves the next job
        String id = "after-poison-" + UUID.randomUUID().toString().substring(0, 8);
        produce(runtime.backbone().topics().jobs(), id, EventCodec.encode(new JobRequest(id,
                TestMedia.clip(2).toUri().toString(), "clip.mp4", List.of("codec"), 1, 2, null, Map.of(), 0)));
        consumeUntil(runtime.backbone().topics().events(), id, rec -> {
            JobEvent e = EventCodec.decode(rec.value(), JobEvent.class);
            return e.stage().equals("decode") && e.kind() == JobEvent.Kind.STAGE_DONE;
        });
    }

    @Test
    void aJobWhoseSourceIsOutsideTheAllowedRootsFailsWithTheReason() throws Exception {
        String id = "forbidden-" + UUID.randomUUID().toString().substring(0, 8);
        produce(runtime.backbone().topics().jobs(), id, EventCodec.encode(new JobRequest(id, "file:///etc/passwd",
                "passwd", List.of("codec"), 1, 2, null, Map.of(), 0)));
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            var s = runtime.tracker().get(id);
            if (s != null && s.isFinished()) {
                assertEquals("FAILED", s.state.name());
                assertTrue(s.reason.contains("decode") && s.reason.contains("/etc/passwd"), s.reason);
                return;
            }
            Thread.sleep(100);
        }
        fail("job " + id + " did not fail");
    }

    private void produce(String topic, String key, byte[] value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.backbone().bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    interface Until {
        boolean done(ConsumerRecord<String, byte[]> r);
    }

    private void consumeUntil(String topic, String key, Until until) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.backbone().bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key()) && until.done(r)) return;
                }
            }
        }
        fail("nothing for key " + key + " on " + topic + " within 120 s");
    }
}
