package dev.prism.streaming.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.prism.streaming.broker.EmbeddedKafka;
import dev.prism.streaming.broker.TopicAdmin;
import dev.prism.streaming.runtime.StageListener;
import dev.prism.streaming.runtime.StageRuntime;
import dev.prism.streaming.runtime.StageSpec;
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
 * {@code prism bench backbone}: what the stage runtime costs over bare kafka-clients on the same
 * embedded broker in the same run. Latency: one small record at a time, from the producer's send
 * to a read_committed consumer of the output. Throughput: 100 KB records produced, copied to an
 * output topic and read back, once by a bare consumer+producer loop (no transactions) and once by
 * a pass-through stage (transactions, read_committed); both start already subscribed.
 */
public final class BackboneBench {
    private static final int PARTITIONS = 4;
    private static final int LATENCY_SAMPLES = 400;
    private static final int LARGE_RECORDS = 800;
    private static final int THROUGHPUT_ROUNDS = 3;
    private static final int LARGE_BYTES = 100 * 1024;

    private BackboneBench() {
    }

    /** @param assetsOrNull unused: every input is generated */
    public static List<Map<String, Object>> run(Path assetsOrNull, PrintStream progress) {
        try {
            return measure(progress);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("backbone benchmark: temporary broker directory failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("backbone benchmark interrupted", e);
        }
    }

    private static List<Map<String, Object>> measure(PrintStream progress) throws IOException, InterruptedException {
        List<Map<String, Object>> rows = new ArrayList<>();
        Path dir = Files.createTempDirectory("prism-backbone-bench");
        try {
            long cold = System.nanoTime();
            EmbeddedKafka first = EmbeddedKafka.start(dir, 0);
            long coldMs = (System.nanoTime() - cold) / 1_000_000;
            first.close();
            long warm = System.nanoTime();
            try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
                long warmMs = (System.nanoTime() - warm) / 1_000_000;
                progress.printf("broker start: first %d ms (format + start), restart %d ms%n", coldMs, warmMs);
                rows.add(row("broker start, restart on existing data", warmMs, coldMs, "ms", "baseline: first start incl. format"));
                String b = kafka.bootstrapServers();
                TopicAdmin.ensureTopics(b, Map.of("lat-in", 1, "lat-out", 1, "lat-bare", 1, "lat-copy-in", 1, "lat-copy-out", 1,
                        "tp-in-bare", PARTITIONS, "tp-out-bare", PARTITIONS, "tp-in", PARTITIONS, "tp-out", PARTITIONS), Set.of());
                System.gc();
                long idleRss = rssKb();
                progress.printf("RSS idle with broker: %d MB%n", idleRss / 1024);

                double[] bareLat = bareLatency(b, progress);
                double[] copyLat = bareCopyLatency(b, progress);
                double[] stageLat = stageLatency(b, progress);
                rows.add(row("small-record latency p50", stageLat[0], bareLat[0], "ms", "stage: 2 hops + commit; bare: 1 hop"));
                rows.add(row("small-record latency p99", stageLat[1], bareLat[1], "ms", "stage: 2 hops + commit; bare: 1 hop"));
                rows.add(row("small-record latency p50 vs bare copy", stageLat[0], copyLat[0], "ms",
                        "baseline: bare consume->produce copy, 2 hops, no transactions"));
                rows.add(row("small-record latency p99 vs bare copy", stageLat[1], copyLat[1], "ms",
                        "baseline: bare consume->produce copy, 2 hops, no transactions"));

                AtomicLong peakRss = new AtomicLong(idleRss);
                AtomicBoolean sampling = new AtomicBoolean(true);
                Thread sampler = new Thread(() -> {
                    while (sampling.get()) {
                        peakRss.accumulateAndGet(rssKb(), Math::max);
                        sleep(100);
                    }
                }, "rss-sampler");
                sampler.setDaemon(true);
                sampler.start();
                // Alternating rounds, medians: on a shared machine one run of each says little.
                double[] bare = new double[THROUGHPUT_ROUNDS];
                double[] staged = new double[THROUGHPUT_ROUNDS];
                double[] staged2 = new double[THROUGHPUT_ROUNDS];
                for (int round = 0; round < THROUGHPUT_ROUNDS; round++) {
                    if (round % 2 == 0) {
                        bare[round] = bareThroughput(b, progress);
                        staged[round] = stageThroughput(b, progress, round, 1);
                        staged2[round] = stageThroughput(b, progress, round, 2);
                    } else {
                        staged2[round] = stageThroughput(b, progress, round, 2);
                        staged[round] = stageThroughput(b, progress, round, 1);
                        bare[round] = bareThroughput(b, progress);
                    }
                }
                double bareMbs = median(bare);
                double stageMbs = median(staged);
                double stage2Mbs = median(staged2);
                sampling.set(false);
                sampler.join();
                rows.add(row("100 KB record throughput", stageMbs, bareMbs, "MB/s",
                        "median of " + THROUGHPUT_ROUNDS + " alternating rounds of " + LARGE_RECORDS + " records (stage "
                                + Arrays.toString(rounded(staged)) + ", bare " + Arrays.toString(rounded(bare)) + "); goal: ratio >= 0.9"));
                rows.add(row("100 KB record throughput, stage with 2 workers", stage2Mbs, bareMbs, "MB/s",
                        "stage rounds " + Arrays.toString(rounded(staged2)) + " vs the same bare rounds"));
                rows.add(row("process RSS under load", peakRss.get() / 1024.0, idleRss / 1024.0, "MB",
                        "baseline: idle with broker running; includes broker and clients"));
            }
        } finally {
            deleteTree(dir);
        }
        return rows;
    }

    private static Map<String, Object> row(String metric, double value, double baseline, String unit, String note) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("metric", metric);
        r.put("value", round(value));
        r.put("baseline", round(baseline));
        r.put("ratio", baseline == 0 ? null : round(value / baseline));
        r.put("unit", unit);
        r.put("note", note);
        return r;
    }

    private static double[] bareLatency(String b, PrintStream progress) {
        try (KafkaProducer<String, byte[]> p = producer(b, 0); KafkaConsumer<String, byte[]> c = tail(b, "lat-bare", false)) {
            double[] r = pingPong(p, "lat-bare", c, progress, "bare produce->consume");
            return r;
        }
    }

    private static double[] bareCopyLatency(String b, PrintStream progress) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        Thread copier = copier(b, "lat-copy-in", "lat-copy-out", 0, stop);
        try (KafkaProducer<String, byte[]> p = producer(b, 0); KafkaConsumer<String, byte[]> c = tail(b, "lat-copy-out", false)) {
            return pingPong(p, "lat-copy-in", c, progress, "bare consume->produce copy");
        } finally {
            stop.set(true);
            copier.join();
        }
    }

    /** A plain consume->produce loop (no transactions, auto-commit) on its own thread, already positioned at the end. */
    private static Thread copier(String b, String in, String out, int lingerMs, AtomicBoolean stop) {
        KafkaConsumer<String, byte[]> c = tail(b, in, false);
        Thread t = new Thread(() -> {
            try (c; KafkaProducer<String, byte[]> p = producer(b, lingerMs)) {
                while (!stop.get()) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(50))) {
                        p.send(new ProducerRecord<>(out, r.key(), r.value()));
                    }
                }
            }
        }, "bare-copier");
        t.start();
        return t;
    }

    private static double[] stageLatency(String b, PrintStream progress) {
        StageSpec spec = StageSpec.of("bench-latency", "lat-in").withDlqTopic("bench-dlq").withProgressTopic("bench-progress");
        try (StageRuntime stage = new StageRuntime(b, spec, (r, ctx) -> ctx.send("lat-out", r.key(), r.value()), StageListener.NONE);
             KafkaProducer<String, byte[]> p = producer(b, 0); KafkaConsumer<String, byte[]> c = tail(b, "lat-out", true)) {
            stage.start();
            awaitAssigned(stage, 1);
            return pingPong(p, "lat-in", c, progress, "through a pass-through stage");
        }
    }

    /** Sends one record, waits for it at the other end, repeats; the first 10% are warm-up. */
    private static double[] pingPong(KafkaProducer<String, byte[]> p, String topic, KafkaConsumer<String, byte[]> c,
                                     PrintStream progress, String what) {
        int warmup = LATENCY_SAMPLES / 10;
        double[] ms = new double[LATENCY_SAMPLES];
        for (int i = 0; i < warmup + LATENCY_SAMPLES; i++) {
            long sent = System.nanoTime();
            byte[] v = ByteBuffer.allocate(100).putLong(sent).array();
            p.send(new ProducerRecord<>(topic, "k", v));
            long got = -1;
            long deadline = sent + TimeUnit.SECONDS.toNanos(30);
            while (got < 0 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(50))) {
                    if (ByteBuffer.wrap(r.value()).getLong() == sent) {
                        got = System.nanoTime();
                    }
                }
            }
            if (got < 0) {
                throw new IllegalStateException("latency probe " + i + " " + what + " never arrived");
            }
            if (i >= warmup) {
                ms[i - warmup] = (got - sent) / 1e6;
            }
        }
        Arrays.sort(ms);
        double p50 = ms[ms.length / 2];
        double p99 = ms[(int) Math.ceil(ms.length * 0.99) - 1];
        progress.printf("latency %s: p50 %.2f ms, p99 %.2f ms (%d samples)%n", what, p50, p99, ms.length);
        return new double[] {p50, p99};
    }

    private static double bareThroughput(String b, PrintStream progress) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        Thread copier = copier(b, "tp-in-bare", "tp-out-bare", 5, stop);
        try {
            return pump(b, "tp-in-bare", "tp-out-bare", progress, "bare consume->produce copy");
        } finally {
            stop.set(true);
            copier.join();
        }
    }

    private static double[] rounded(double[] v) {
        return Arrays.stream(v).map(BackboneBench::round).toArray();
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static double stageThroughput(String b, PrintStream progress, int round, int workers) {
        StageSpec spec = StageSpec.of("bench-throughput-" + workers + "-" + round, "tp-in").withConcurrency(workers).withDlqTopic("bench-dlq").withProgressTopic("bench-progress");
        try (StageRuntime stage = new StageRuntime(b, spec, (r, ctx) -> ctx.send("tp-out", r.key(), r.value()), StageListener.NONE)) {
            stage.start();
            awaitAssigned(stage, PARTITIONS);
            return pump(b, "tp-in", "tp-out", progress, "pass-through stage, " + workers + " worker(s)");
        }
    }

    /** Produces the large records into {@code in} and times until all of them were read from {@code out}. */
    private static double pump(String b, String in, String out, PrintStream progress, String what) {
        byte[] payload = new byte[LARGE_BYTES];
        new java.util.Random(7).nextBytes(payload);
        try (KafkaConsumer<String, byte[]> c = tail(b, out, true); KafkaProducer<String, byte[]> p = producer(b, 5)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < LARGE_RECORDS; i++) {
                p.send(new ProducerRecord<>(in, "k" + i, payload));
            }
            p.flush();
            int seen = 0;
            long deadline = t0 + TimeUnit.MINUTES.toNanos(3);
            while (seen < LARGE_RECORDS && System.nanoTime() < deadline) {
                seen += c.poll(Duration.ofMillis(100)).count();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (seen < LARGE_RECORDS) {
                throw new IllegalStateException(what + ": only " + seen + " of " + LARGE_RECORDS + " records arrived");
            }
            double mbs = LARGE_RECORDS * (double) LARGE_BYTES / (1024 * 1024) / s;
            progress.printf("throughput %s: %d x 100 KB in %.2f s = %.1f MB/s%n", what, LARGE_RECORDS, s, mbs);
            return mbs;
        }
    }

    /** Waits until the stage owns every partition of its inputs (a cooperative rebalance takes two steps). */
    private static void awaitAssigned(StageRuntime stage, int partitions) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stage.assignment().size() < partitions) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stage " + stage.spec().name() + " got no partitions within 60 s");
            }
            sleep(20);
        }
    }

    private static KafkaProducer<String, byte[]> producer(String b, int lingerMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b);
        p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** A consumer positioned at the end of every partition of {@code topic}. */
    private static KafkaConsumer<String, byte[]> tail(String b, String topic, boolean readCommitted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position);
        return c;
    }

    /** Resident set size of this process in KB (Linux), or 0 where /proc is missing. */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** {@code java ... BackboneBench}: prints the table (the app's {@code prism bench backbone} does the same). */
    public static void main(String[] args) {
        for (Map<String, Object> r : run(null, System.out)) {
            System.out.println(r);
        }
    }
}
