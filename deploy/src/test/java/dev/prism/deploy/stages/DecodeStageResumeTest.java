package dev.prism.deploy.stages;

import static org.junit.jupiter.api.Assertions.*;

import dev.prism.deploy.TestMedia;
import dev.prism.deploy.config.PrismConfig;
import dev.prism.streaming.Topics;
import dev.prism.streaming.events.AudioWindow;
import dev.prism.streaming.events.EventCodec;
import dev.prism.streaming.events.JobEvent;
import dev.prism.streaming.events.JobRequest;
import dev.prism.streaming.events.PrismEvent;
import dev.prism.streaming.runtime.StageContext;
import dev.prism.streaming.store.LocalMediaStore;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The decode stage after a crash: the runtime re-delivers the job with its last checkpoint, and the stage
 * must send only the segments after it (the broker-level exactly-once half is StageFailoverTest's).
 */
@QuarkusTest
class DecodeStageResumeTest {

    @Inject
    PrismConfig config;

    /** Collects what the handler sends and serves a given checkpoint, like the runtime's context. */
    static final class Recording implements StageContext {
        final List<PrismEvent> sent = new ArrayList<>();
        final List<String> checkpoints = new ArrayList<>();
        final Optional<byte[]> progress;

        Recording(String progress) {
            this.progress = Optional.ofNullable(progress).map(p -> p.getBytes(StandardCharsets.UTF_8));
        }

        @Override public void send(String topic, String key, byte[] value) { sent.add(EventCodec.decode(value)); }
        @Override public void send(String topic, String key, byte[] value, Map<String, byte[]> headers) { send(topic, key, value); }
        @Override public void checkpoint(byte[] p) { checkpoints.add(new String(p, StandardCharsets.UTF_8)); }
        @Override public Optional<byte[]> progress() { return progress; }
        @Override public boolean stopping() { return false; }
        @Override public int attempt() { return 1; }

        List<Integer> windows() {
            return sent.stream().filter(e -> e instanceof AudioWindow).map(e -> ((AudioWindow) e).segment()).toList();
        }
    }

    private Recording run(String progress) throws Exception {
        Path store = Files.createTempDirectory(Path.of("target"), "decode-resume-");
        DecodeStage stage = new DecodeStage(new StageServices(new StageSupport(Topics.DEFAULT, new LocalMediaStore(store)),
                config, store.resolve("cache")));
        JobRequest job = new JobRequest("resume", TestMedia.clip(4).toUri().toString(), "clip.mp4", List.of("codec"), 1, 1.0,
                null, Map.of(), 0);
        Recording ctx = new Recording(progress);
        stage.handle(new ConsumerRecord<>("prism.jobs", 0, 0, "resume", EventCodec.encode(job)), ctx);
        return ctx;
    }

    @Test
    void firstDeliverySendsEverySegmentOnceWithLastOnTheFinalOne() throws Exception {
        Recording r = run(null);
        assertEquals(List.of(0, 1, 2, 3), r.windows());
        assertEquals(List.of("0", "1", "2", "3"), r.checkpoints);
        assertTrue(((AudioWindow) r.sent.stream().filter(e -> e instanceof AudioWindow).reduce((a, b) -> b).orElseThrow()).last());
    }

    @Test
    void redeliveryAfterACheckpointSendsOnlyTheLaterSegments() throws Exception {
        Recording r = run("1");
        assertEquals(List.of(2, 3), r.windows());
        assertTrue(r.sent.stream().noneMatch(e -> e instanceof JobEvent je && je.kind() == JobEvent.Kind.PROBED),
                "the probe was reported on the first delivery");
    }

    @Test
    void redeliveryAfterTheLastSegmentWasCheckpointedSendsNoSegmentAgain() throws Exception {
        Recording r = run("3");
        assertEquals(List.of(), r.windows());
        assertTrue(r.sent.stream().anyMatch(e -> e instanceof JobEvent je && je.kind() == JobEvent.Kind.STAGE_DONE),
                "the stage still reports done");
    }
}
