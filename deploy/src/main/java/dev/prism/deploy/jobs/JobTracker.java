package dev.prism.deploy.jobs;

import dev.prism.deploy.backbone.Backbone;
import dev.prism.streaming.Topics;
import dev.prism.streaming.events.Caption;
import dev.prism.streaming.events.CodecFrame;
import dev.prism.streaming.events.EventCodec;
import dev.prism.streaming.events.GaussianFrame;
import dev.prism.streaming.events.JobEvent;
import dev.prism.streaming.events.JobRequest;
import dev.prism.streaming.events.PrismEvent;
import dev.prism.streaming.events.RecordFormatException;
import dev.prism.streaming.events.TranscriptUpdate;
import dev.prism.streaming.runtime.DeadLetters;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Folds the job topic, the event topic and the output topics into job states, writes each finished job's
 * result files, and feeds live listeners (dashboard, CLI). Every process runs one; it reads all partitions
 * from the beginning (committed records only), so any process can answer for any job and a restart
 * rebuilds the same view.
 */
public final class JobTracker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobTracker.class);
    private static final int HISTORY_LIMIT = 4000;

    private final Backbone backbone;
    private final Topics topics;
    private final ResultWriter writer;
    private final Map<String, JobState> jobs = new ConcurrentHashMap<>();
    private final Map<String, JobOutputs> outputs = new HashMap<>();
    private final Map<String, ArrayDeque<LiveEvent>> history = new HashMap<>();
    private final List<Consumer<LiveEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private volatile boolean caughtUp;
    private long seq;

    /** Transcript and caption records kept until the job's files are written. */
    static final class JobOutputs {
        final TreeMap<String, TranscriptUpdate> finals = new TreeMap<>();
        final TreeMap<Integer, Caption> captions = new TreeMap<>();
        int codecFrames;
        int gaussianFrames;
        long codecBits;
    }

    public JobTracker(Backbone backbone) {
        this.backbone = backbone;
        this.topics = backbone.topics();
        this.writer = new ResultWriter(backbone.store());
        this.thread = new Thread(this::run, "prism-job-tracker");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, backbone.bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<String> names = List.of(topics.jobs(), topics.events(), topics.transcripts(), topics.captions(),
                topics.audioCodes(), topics.gaussians(), topics.dlq());
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            consumer = c;
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : names) {
                c.partitionsFor(t).forEach(pi -> parts.add(new TopicPartition(t, pi.partition())));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (running) {
                var records = c.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> r : records) {
                    try {
                        if (r.topic().equals(topics.dlq())) {
                            deadLettered(r);
                            continue;
                        }
                        apply(r.topic(), EventCodec.decode(r.value()));
                    } catch (RecordFormatException e) {
                        LOG.warnf("tracker skips an unreadable record on %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.getMessage());
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "tracker failed on %s-%d@%d", r.topic(), r.partition(), r.offset());
                    }
                }
                if (!caughtUp && parts.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
                    caughtUp = true;
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("job tracker stopped", e);
        }
    }

    /** A dead-lettered record fails its job's stage with the runtime's reason (the key is the job id). */
    private void deadLettered(ConsumerRecord<String, byte[]> r) {
        String stage = header(r, DeadLetters.STAGE);
        String reason = header(r, DeadLetters.REASON);
        if (r.key() == null || stage == null) return;
        apply(r.topic(), JobEvent.of(r.key(), stage, JobEvent.Kind.STAGE_FAILED, reason == null ? "dead-lettered" : reason));
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A job request or deletion this process has just published (and Kafka acknowledged), applied at once so
     * the API reads its own writes: a GET right after the 202 finds the job even while this consumer has not
     * fetched the record yet. The same record folded again from its topic changes nothing.
     */
    public void published(PrismEvent e) {
        if (!(e instanceof JobRequest) && !(e instanceof JobEvent ev && ev.kind() == JobEvent.Kind.DELETED)) {
            throw new IllegalArgumentException("only job requests and deletions are applied ahead of their topic: " + e);
        }
        apply(e instanceof JobRequest ? topics.jobs() : topics.events(), e);
    }

    private synchronized void apply(String topic, PrismEvent e) {
        JobState s = jobs.computeIfAbsent(e.jobId(), JobState::new);
        if (s.state == JobState.State.DELETED) return;
        JobOutputs out = outputs.computeIfAbsent(e.jobId(), k -> new JobOutputs());
        if (e instanceof JobRequest r) {
            if (r.equals(s.request)) return; // applied when it was published
            s.request = r;
            if (s.createdMs == 0) s.createdMs = r.submittedAtMs();
            s.updatedMs = Math.max(s.updatedMs, r.submittedAtMs());
            emit(s, "job", summary(s));
        } else if (e instanceof JobEvent ev) {
            s.apply(ev);
            emit(s, "event", ev);
            if (ev.kind() == JobEvent.Kind.DELETED) {
                outputs.remove(e.jobId());
                return;
            }
        } else if (e instanceof TranscriptUpdate t) {
            if (t.fin()) out.finals.put(String.format("%012.3f/%06d", t.start(), t.segment()), t);
            if (t.last()) s.lastSeen.add("transcript");
            emit(s, t.fin() ? "transcript.final" : "transcript.partial", t);
        } else if (e instanceof Caption c) {
            out.captions.put(c.segment(), c);
            if (c.demo()) s.demo = true;
            if (c.last()) s.lastSeen.add("captions");
            emit(s, "caption", c);
        } else if (e instanceof CodecFrame f) {
            writer.storeCodecFrame(e.jobId(), f);
            out.codecFrames++;
            out.codecBits += f.bits();
            if (f.last()) s.lastSeen.add("codec");
            emit(s, "codec", Map.of("segment", f.segment(), "start", f.start(), "end", f.end(), "bits", f.bits(),
                    "kbps", f.end() > f.start() ? f.bits() / 1000.0 / (f.end() - f.start()) : 0));
        } else if (e instanceof GaussianFrame g) {
            if (g.payload().length > 0) writer.storeGaussianFrame(e.jobId(), g);
            out.gaussianFrames++;
            if (g.last()) s.lastSeen.add("gaussians");
            emit(s, "gaussians", Map.of("frame", g.frame(), "pts", g.pts(), "keyframe", g.keyframe(),
                    "gaussians", g.gaussians(), "bytes", g.payload().length));
        }
        maybeFinish(s, out);
    }

    private void maybeFinish(JobState s, JobOutputs out) {
        if (s.isFinished() || !s.allTasksSettled()) return;
        String reason = s.failureReason();
        JobState.State end = reason == null ? JobState.State.DONE : JobState.State.FAILED;
        try {
            // the files first, then the state: whoever sees the job finished finds every result file written
            writer.writeResults(s, out, end, reason);
            s.reason = reason;
            s.state = end;
            outputs.remove(s.jobId); // its files are written; only the live history stays in memory
        } catch (Exception ex) {
            s.state = JobState.State.FAILED;
            s.reason = "writing results: " + ex.getMessage();
            LOG.errorf(ex, "job %s: could not write its results", s.jobId);
        }
        emit(s, "job", summary(s));
    }

    private void emit(JobState s, String type, Object data) {
        LiveEvent ev = new LiveEvent(++seq, s.jobId, type, data);
        ArrayDeque<LiveEvent> h = history.computeIfAbsent(s.jobId, k -> new ArrayDeque<>());
        h.addLast(ev);
        while (h.size() > HISTORY_LIMIT) h.removeFirst();
        for (Consumer<LiveEvent> l : listeners) {
            try {
                l.accept(ev);
            } catch (RuntimeException ex) {
                LOG.debugf("listener failed: %s", ex.getMessage());
            }
        }
    }

    public Map<String, Object> summary(JobState s) {
        return JobViews.summary(s);
    }

    public JobState get(String jobId) {
        return jobs.get(jobId);
    }

    public Collection<JobState> all() {
        List<JobState> list = new ArrayList<>(jobs.values());
        list.removeIf(j -> j.state == JobState.State.DELETED || j.request == null);
        list.sort(Comparator.comparingLong((JobState j) -> j.createdMs).reversed());
        return list;
    }

    /** History after {@code afterSeq} for one job (or all jobs when jobId is null), then live events. */
    public synchronized AutoCloseable subscribe(String jobId, long afterSeq, Consumer<LiveEvent> listener) {
        Collection<ArrayDeque<LiveEvent>> sources = jobId == null ? history.values()
                : List.of(history.getOrDefault(jobId, new ArrayDeque<>()));
        List<LiveEvent> replay = new ArrayList<>();
        for (ArrayDeque<LiveEvent> h : sources) {
            for (LiveEvent ev : h) if (ev.seq() > afterSeq) replay.add(ev);
        }
        replay.sort(Comparator.comparingLong(LiveEvent::seq));
        replay.forEach(listener);
        Consumer<LiveEvent> filtered = ev -> {
            if (jobId == null || jobId.equals(ev.jobId())) listener.accept(ev);
        };
        listeners.add(filtered);
        return () -> listeners.remove(filtered);
    }

    public boolean caughtUp() {
        return caughtUp;
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) c.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
