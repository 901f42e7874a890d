package dev.prism.streaming.runtime;

import static dev.prism.streaming.runtime.KafkaFixture.str;
import static dev.prism.streaming.runtime.KafkaFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pass-through, dead letters and retries against the real embedded broker. */
class StageRuntimeTest {
    private static KafkaFixture kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = KafkaFixture.shared();
    }

    private StageSpec spec(String name, String in) {
        return StageSpec.of(name + "-" + in, in)
                .withDlqTopic(kafka.topic("dlq", 1))
                .withProgressTopic(kafka.topic("progress", 1))
                .withRetry(new RetryPolicy(3, Duration.ofMillis(20), 2.0, Duration.ofMillis(100)));
    }

    @Test
    void passThroughEmitsEveryRecordExactlyOnceInOrderPerKey() throws Exception {
        String in = kafka.topic("in", 4);
        String out = kafka.topic("out", 4);
        int n = 400;
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add("key" + (i % 13));
            values.add((i % 13) + ":" + i);
        }
        kafka.produceStrings(in, keys, values);
        CountingListener listener = new CountingListener();
        try (StageRuntime stage = new StageRuntime(kafka.bootstrap(), spec("pass", in).withConcurrency(2),
                (r, ctx) -> ctx.send(out, r.key(), r.value()), listener)) {
            stage.start();
            List<ConsumerRecord<String, byte[]>> got = kafka.readCommitted(out, n, Duration.ofSeconds(1));
            assertEquals(n, got.size(), "exactly one output per input");
            Map<String, Integer> lastSeq = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : got) {
                String[] parts = str(r.value()).split(":");
                assertEquals(r.key(), "key" + parts[0]);
                int seq = Integer.parseInt(parts[1]);
                Integer prev = lastSeq.put(r.key(), seq);
                assertTrue(prev == null || prev < seq, "order per key broken: " + prev + " then " + seq);
            }
            KafkaFixture.await("lag 0 reported", Duration.ofSeconds(20), () -> listener.lastLag.get() == 0);
            assertTrue(stage.isRunning());
            // Cooperative rebalancing moves partitions in two steps: wait for the group to settle.
            KafkaFixture.await("two workers of one process own all 4 partitions", Duration.ofSeconds(30),
                    () -> stage.assignment().size() == 4);
        }
        assertEquals(n, listener.in.get());
        assertEquals(n, listener.out.get());
        assertEquals(n, listener.processed.get());
        assertEquals(0, listener.failed.get());
    }

    @Test
    void poisonRecordIsDeadLetteredWithOriginalBytesAndTheStageKeepsConsuming() throws Exception {
        String in = kafka.topic("in", 1);
        String out = kafka.topic("out", 1);
        StageSpec spec = spec("poison", in);
        byte[] poison = {(byte) 0xff, 0x00, (byte) 0xfe, 'p'};
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrap()), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 5; i++) {
                p.send(new ProducerRecord<>(in, "k" + i, utf8("ok-" + i)));
            }
            RecordHeaders h = new RecordHeaders();
            h.add("origin", utf8("camera-7"));
            p.send(new ProducerRecord<>(in, null, "bad", poison, h));
            for (int i = 5; i < 10; i++) {
                p.send(new ProducerRecord<>(in, "k" + i, utf8("ok-" + i)));
            }
        }
        CountingListener listener = new CountingListener();
        try (StageRuntime stage = new StageRuntime(kafka.bootstrap(), spec, (r, ctx) -> {
            if (r.value()[0] == (byte) 0xff) {
                throw new NonRetryableException("not a Prism event: bad magic byte", null);
            }
            ctx.send(out, r.key(), r.value());
        }, listener)) {
            stage.start();
            assertEquals(List.of("ok-0", "ok-1", "ok-2", "ok-3", "ok-4", "ok-5", "ok-6", "ok-7", "ok-8", "ok-9"),
                    KafkaFixture.values(kafka.readCommitted(out, 10, Duration.ofMillis(500))));
            List<ConsumerRecord<String, byte[]>> dead = kafka.readCommitted(spec.dlqTopic(), 1, Duration.ofMillis(500));
            assertEquals(1, dead.size());
            ConsumerRecord<String, byte[]> d = dead.get(0);
            assertEquals("bad", d.key());
            assertArrayEquals(poison, d.value(), "the dead letter holds the original bytes");
            assertEquals("camera-7", DeadLetters.header(d.headers(), "origin"), "original headers kept");
            assertEquals("not a Prism event: bad magic byte", DeadLetters.header(d.headers(), DeadLetters.REASON));
            assertEquals(NonRetryableException.class.getName(), DeadLetters.header(d.headers(), DeadLetters.EXCEPTION));
            assertEquals(spec.name(), DeadLetters.header(d.headers(), DeadLetters.STAGE));
            assertEquals(in, DeadLetters.header(d.headers(), DeadLetters.TOPIC));
            assertEquals("0", DeadLetters.header(d.headers(), DeadLetters.PARTITION));
            assertEquals("5", DeadLetters.header(d.headers(), DeadLetters.OFFSET));
            assertEquals("1", DeadLetters.header(d.headers(), DeadLetters.ATTEMPTS), "non-retryable: no retries");
        }
        assertEquals(1, listener.deadLettered.get());
        assertEquals(1, listener.failed.get());
    }

    @Test
    void transientFailureSucceedsOnSecondAttemptWithOneOutputAndNoDeadLetter() throws Exception {
        String in = kafka.topic("in", 1);
        String out = kafka.topic("out", 1);
        StageSpec spec = spec("flaky", in);
        kafka.produceStrings(in, List.of("a", "b", "c"), List.of("first", "flaky", "last"));
        Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();
        CountingListener listener = new CountingListener();
        try (StageRuntime stage = new StageRuntime(kafka.bootstrap(), spec, (r, ctx) -> {
            attempts.computeIfAbsent(str(r.value()), k -> new ArrayList<>()).add(ctx.attempt());
            ctx.send(out, r.key(), utf8(str(r.value()) + "@" + ctx.attempt()));
            if (str(r.value()).equals("flaky") && ctx.attempt() == 1) {
                throw new IllegalStateException("model server busy");
            }
        }, listener)) {
            stage.start();
            // The output sent before the throw on attempt 1 must not appear: only "flaky@2".
            assertEquals(List.of("first@1", "flaky@2", "last@1"),
                    KafkaFixture.values(kafka.readCommitted(out, 3, Duration.ofSeconds(1))));
            assertEquals(List.of(1, 2), attempts.get("flaky"));
            assertTrue(kafka.readCommitted(spec.dlqTopic(), 0, Duration.ofMillis(500)).isEmpty(), "nothing dead-lettered");
        }
        assertEquals(0, listener.deadLettered.get());
        assertEquals(1, listener.failed.get());
    }

    @Test
    void recordFailingEveryAttemptIsDeadLetteredAfterMaxAttempts() throws Exception {
        String in = kafka.topic("in", 1);
        String out = kafka.topic("out", 1);
        StageSpec spec = spec("doomed", in);
        kafka.produceStrings(in, List.of("x", "y"), List.of("doomed", "fine"));
        List<Integer> seen = new ArrayList<>();
        try (StageRuntime stage = new StageRuntime(kafka.bootstrap(), spec, (r, ctx) -> {
            if (str(r.value()).equals("doomed")) {
                synchronized (seen) {
                    seen.add(ctx.attempt());
                }
                throw new java.io.IOException("disk full");
            }
            ctx.send(out, r.key(), r.value());
        }, null)) {
            stage.start();
            assertEquals(List.of("fine"), KafkaFixture.values(kafka.readCommitted(out, 1, Duration.ofMillis(300))));
            List<ConsumerRecord<String, byte[]>> dead = kafka.readCommitted(spec.dlqTopic(), 1, Duration.ofMillis(300));
            assertEquals(1, dead.size());
            assertEquals("3", DeadLetters.header(dead.get(0).headers(), DeadLetters.ATTEMPTS));
            assertEquals("disk full", DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON));
            assertEquals("doomed", str(dead.get(0).value()));
        }
        assertEquals(List.of(1, 2, 3), seen);
    }

    @Test
    void recordWhoseOutputTheBrokerRefusesIsDeadLetteredInsteadOfLoopingForever() throws Exception {
        String in = kafka.topic("in", 1);
        String out = kafka.topic("out", 1);
        StageSpec spec = spec("huge", in);
        kafka.produceStrings(in, List.of("a", "b", "c"), List.of("small", "huge", "after"));
        CountingListener listener = new CountingListener();
        try (StageRuntime stage = new StageRuntime(kafka.bootstrap(), spec, (r, ctx) -> {
            // 2 MB is past the producer's 1 MB max.request.size: such payloads belong in the media store.
            byte[] v = str(r.value()).equals("huge") ? new byte[2 * 1024 * 1024] : r.value();
            ctx.send(out, r.key(), v);
        }, listener)) {
            stage.start();
            assertEquals(List.of("small", "after"), KafkaFixture.values(kafka.readCommitted(out, 2, Duration.ofMillis(500))));
            List<ConsumerRecord<String, byte[]>> dead = kafka.readCommitted(spec.dlqTopic(), 1, Duration.ofMillis(300));
            assertEquals(1, dead.size());
            assertEquals("huge", str(dead.get(0).value()));
            assertTrue(DeadLetters.header(dead.get(0).headers(), DeadLetters.REASON).contains("refused by the broker"));
            assertTrue(stage.isRunning());
        }
    }

    @Test
    void startingOnAMissingInputTopicFailsWithTheTopicName() {
        StageRuntime stage = new StageRuntime(kafka.bootstrap(), StageSpec.of("orphan", "no-such-topic"), (r, ctx) -> { }, null);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, stage::start);
        assertTrue(e.getMessage().contains("no-such-topic"), e.getMessage());
        assertFalse(stage.isRunning());
    }

    @Test
    void retryPolicyBackoffGrowsGeometricallyUpToTheCap() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(100), 3.0, Duration.ofMillis(1000));
        assertEquals(Duration.ofMillis(100), p.backoffAfter(1));
        assertEquals(Duration.ofMillis(300), p.backoffAfter(2));
        assertEquals(Duration.ofMillis(900), p.backoffAfter(3));
        assertEquals(Duration.ofMillis(1000), p.backoffAfter(4));
        assertFalse(RetryPolicy.defaults().maxAttempts() < 1);
    }

    @Test
    void specRejectsNamesKafkaWouldRefuseWithAMessageNamingTheValue() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> StageSpec.of("transcribe", "prism jobs"));
        assertTrue(e.getMessage().contains("'prism jobs'"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> StageSpec.of("ok", "in").withMaxPollRecords(0));
    }
}
