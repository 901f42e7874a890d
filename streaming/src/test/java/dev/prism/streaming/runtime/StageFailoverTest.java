package dev.prism.streaming.runtime;

import static dev.prism.streaming.runtime.KafkaFixture.str;
import static dev.prism.streaming.runtime.KafkaFixture.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Crashes, hand-overs and graceful shutdown: no output lost, none duplicated (read_committed). */
class StageFailoverTest {
    private static final int CHUNKS = 10;
    private static KafkaFixture kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = KafkaFixture.shared();
    }

    private StageSpec spec(String name, String in) {
        return StageSpec.of(name + "-" + in, in)
                .withDlqTopic(kafka.topic("dlq", 1))
                .withProgressTopic(kafka.topic("progress", 1))
                // The broker's minimum: a killed process's partitions move after 6 s, not 45.
                .withSessionTimeout(Duration.ofSeconds(6))
                .withRetry(new RetryPolicy(3, Duration.ofMillis(20), 2.0, Duration.ofMillis(100)));
    }

    private static byte[] marker(int nextChunk) {
        return ByteBuffer.allocate(4).putInt(nextChunk).array();
    }

    private static int nextChunk(StageContext ctx) {
        return ctx.progress().map(b -> ByteBuffer.wrap(b).getInt()).orElse(0);
    }

    /** A long record (a video of CHUNKS chunks): one output and one checkpoint per chunk. */
    private static StageHandler chunked(String out, List<Integer> resumedAt, CountDownLatch halfway, int blockAt) {
        return (r, ctx) -> {
            int start = nextChunk(ctx);
            resumedAt.add(start);
            for (int c = start; c < CHUNKS; c++) {
                ctx.send(out, r.key(), utf8(str(r.value()) + "#" + c));
                ctx.checkpoint(marker(c + 1));
                if (c + 1 == blockAt) {
                    halfway.countDown();
                    // Sent but never checkpointed: must not appear, the new owner redoes this chunk.
                    ctx.send(out, r.key(), utf8(str(r.value()) + "#" + (c + 1)));
                    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                }
            }
        };
    }

    private static List<String> expectedChunks(String video) {
        List<String> e = new ArrayList<>();
        for (int c = 0; c < CHUNKS; c++) {
            e.add(video + "#" + c);
        }
        return e;
    }

    @Test
    void killedMidRecordResumesFromTheCheckpointWithEveryOutputExactlyOnce() throws Exception {
        String in = kafka.topic("in", 1);
        String out = kafka.topic("out", 1);
        StageSpec spec = spec("crash", in);
        kafka.produceStrings(in, List.of("job1"), List.of("video"));

        List<Integer> firstRun = new ArrayList<>();
        CountDownLatch halfway = new CountDownLatch(1);
        StageRuntime first = new StageRuntime(kafka.bootstrap(), spec, chunked(out, firstRun, halfway, 5), null);
        first.start();
        assertTrue(halfway.await(60, TimeUnit.SECONDS), "first runtime reached chunk 5");
        first.kill();
        assertEquals(List.of(0), firstRun);

        List<Integer> secondRun = new ArrayList<>();
        try (StageRuntime second = new StageRuntime(kafka.bootstrap(), spec.withInstanceId("restarted"),
                chunked(out, secondRun, new CountDownLatch(1), -1), null)) {
            second.start();
            List<ConsumerRecord<String, byte[]>> got = kafka.readCommitted(out, CHUNKS, Duration.ofSeconds(1));
            assertEquals(expectedChunks("video"), KafkaFixture.values(got));
            assertEquals(List.of(5), secondRun, "the new runtime resumed at the last committed checkpoint");
        }
        // Checkpoints 1..5 by the first runtime, 6..10 by the second, then the completion tombstone.
        List<ConsumerRecord<String, byte[]>> marks = kafka.readCommitted(spec.progressTopic(), CHUNKS + 1,
                Duration.ofMillis(300));
        assertEquals(CHUNKS + 1, marks.size());
        for (int i = 0; i < CHUNKS; i++) {
            assertEquals(i + 1, ByteBuffer.wrap(marks.get(i).value()).getInt());
        }
        assertEquals(null, marks.get(CHUNKS).value(), "a completed record's checkpoint is tombstoned");
    }

    @Test
    void handlerRunningLongerThanMaxPollIntervalKeepsItsPartitionThroughCheckpoints() throws Exception {
        String in = kafka.topic("in", 1);
        String out = kafka.topic("out", 1);
        // 2 s poll interval, a record that takes about 4.5 s: without the keep-alive inside
        // checkpoint() the group would evict the worker and the record would start over.
        StageSpec spec = spec("slow", in).withMaxPollInterval(Duration.ofSeconds(2));
        kafka.produceStrings(in, List.of("job"), List.of("lecture"));
        List<Integer> starts = new ArrayList<>();
        try (StageRuntime stage = new StageRuntime(kafka.bootstrap(), spec, (r, ctx) -> {
            int start = nextChunk(ctx);
            starts.add(start);
            for (int c = start; c < CHUNKS; c++) {
                Thread.sleep(450);
                ctx.send(out, r.key(), utf8("lecture#" + c));
                ctx.checkpoint(marker(c + 1));
            }
        }, null)) {
            stage.start();
            assertEquals(expectedChunks("lecture"),
                    KafkaFixture.values(kafka.readCommitted(out, CHUNKS, Duration.ofSeconds(1))));
            assertEquals(List.of(0), starts, "one uninterrupted run");
            assertTrue(stage.isRunning());
        }
    }

    @Test
    void closingOneOfTwoProcessesHandsItsPartitionsToTheOtherWithNoLossAndNoDuplicates() throws Exception {
        String in = kafka.topic("in", 4);
        String out = kafka.topic("out", 4);
        StageSpec spec = spec("shared", in).withMaxPollRecords(10);
        int n = 240;
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add("k" + i);
            values.add("v" + i);
        }
        AtomicInteger handledByA = new AtomicInteger();
        StageHandler slowCopy = (r, ctx) -> {
            Thread.sleep(10);
            ctx.send(out, r.key(), r.value());
        };
        StageRuntime a = new StageRuntime(kafka.bootstrap(), spec.withInstanceId("a"), (r, ctx) -> {
            handledByA.incrementAndGet();
            slowCopy.handle(r, ctx);
        }, null);
        StageRuntime b = new StageRuntime(kafka.bootstrap(), spec.withInstanceId("b"), slowCopy, null);
        try (b) {
            a.start();
            b.start();
            KafkaFixture.await("both processes own partitions", Duration.ofSeconds(60),
                    () -> !a.assignment().isEmpty() && !b.assignment().isEmpty()
                            && a.assignment().size() + b.assignment().size() == 4);
            Set<TopicPartition> overlap = new HashSet<>(a.assignment());
            overlap.retainAll(b.assignment());
            assertTrue(overlap.isEmpty(), "a partition is owned by one process only: " + overlap);

            kafka.produceStrings(in, keys, values);
            KafkaFixture.await("A has done some work", Duration.ofSeconds(60), () -> handledByA.get() >= 20);
            a.close();
            assertTrue(a.assignment().isEmpty());
            KafkaFixture.await("B owns all partitions", Duration.ofSeconds(60), () -> b.assignment().size() == 4);

            List<String> got = KafkaFixture.values(kafka.readCommitted(out, n, Duration.ofSeconds(1)));
            assertEquals(n, got.size(), "no loss and no duplicates");
            assertEquals(new HashSet<>(values), new HashSet<>(got));
            assertTrue(handledByA.get() < n, "A stopped before doing everything");
        }
    }

    @Test
    void gracefulCloseWithRecordsInFlightLosesAndDuplicatesNothingAcrossARestart() throws Exception {
        String in = kafka.topic("in", 2);
        String out = kafka.topic("out", 2);
        StageSpec spec = spec("graceful", in).withMaxPollRecords(20);
        int n = 60;
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add("k" + i);
            values.add("v" + i);
        }
        keys.add("long");
        values.add("film");
        kafka.produceStrings(in, keys, values);

        Set<Integer> resumes = ConcurrentHashMap.newKeySet();
        AtomicInteger shortDone = new AtomicInteger();
        CountDownLatch longStarted = new CountDownLatch(1);
        StageHandler handler = (r, ctx) -> {
            if (r.key().equals("long")) {
                int start = nextChunk(ctx);
                resumes.add(start);
                longStarted.countDown();
                for (int c = start; c < CHUNKS; c++) {
                    Thread.sleep(100);
                    ctx.send(out, r.key(), utf8("film#" + c));
                    ctx.checkpoint(marker(c + 1));
                }
                return;
            }
            Thread.sleep(15);
            ctx.send(out, r.key(), r.value());
            shortDone.incrementAndGet();
        };
        StageRuntime first = new StageRuntime(kafka.bootstrap(), spec.withInstanceId("p1"), handler, null);
        first.start();
        assertTrue(longStarted.await(60, TimeUnit.SECONDS));
        Thread.sleep(250);
        first.close();

        try (StageRuntime second = new StageRuntime(kafka.bootstrap(), spec.withInstanceId("p1"), handler, null)) {
            second.start();
            List<String> got = KafkaFixture.values(kafka.readCommitted(out, n + CHUNKS, Duration.ofSeconds(1)));
            assertEquals(n + CHUNKS, got.size(), "no loss and no duplicates: " + got);
            Set<String> expected = new HashSet<>(values.subList(0, n));
            expected.addAll(expectedChunks("film"));
            assertEquals(expected, new HashSet<>(got));
        }
        assertTrue(resumes.contains(0));
        assertTrue(resumes.stream().anyMatch(s -> s > 0 && s < CHUNKS),
                "the long record was handed back at a checkpoint and resumed there: " + resumes);
    }
}
