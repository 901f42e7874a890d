package dev.prism.deploy.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.streaming.store.LocalMediaStore;
import dev.prism.vision.caption.CaptionOptions;
import dev.prism.vision.caption.CaptionResult;
import dev.prism.vision.caption.Captioner;
import dev.prism.vision.caption.Frame;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ask path end to end on the generated demo VLM: stored context at the best level, text under a tiny deadline.
 * A Quarkus test only so that it shares the application's class loader: the tokenizer's native library can be loaded
 * by one class loader per JVM, and the suite's other tests load it inside Quarkus.
 */
@QuarkusTest
class FollowUpsTest {
    @TempDir
    static Path tmp;
    static Captioner captioner;
    static LocalMediaStore store;
    static CaptionResult caption;

    @BeforeAll
    static void caption() throws Exception {
        captioner = Captioner.open(null, tmp.resolve("models"), CaptionOptions.none().toBuilder().maxNewTokens(5)
                .answerTokens(5).threads(1).build());
        store = new LocalMediaStore(tmp.resolve("store"));
        byte[] rgb = new byte[48 * 48 * 3];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (i % 251);
        }
        caption = captioner.caption(captioner.encode(List.of(new Frame(0, 48, 48, rgb))),
                "USER: <image> describe ASSISTANT:");
        store.put("job1", VlmStage.contextName(0), caption.context());
    }

    @AfterAll
    static void close() {
        captioner.close();
    }

    @Test
    void aTinyDeadlineTakesTheTextPathAndNoDeadlineTheBestStoredLevel() throws Exception {
        FollowUps.AskSettings settings = new FollowUps.AskSettings(125e6, null);
        Map<String, Object> text = FollowUps.answer(store, captioner, "job1", -1, "what is it ?", 0.001, settings);
        assertEquals("text", text.get("path"));
        assertEquals(0, text.get("level"));
        assertEquals(0.001, text.get("deadlineMs"));
        assertEquals(true, text.get("demo"));
        assertTrue(text.get("answer") instanceof String);
        Map<String, Object> cache = FollowUps.answer(store, captioner, "job1", -1, "what is it ?", null, settings);
        assertEquals("cache", cache.get("path"));
        assertEquals(3, cache.get("level"));
        assertNull(cache.get("deadlineMs"));
        Map<String, Object> byDefault = FollowUps.answer(store, captioner, "job1", 0, "what is it ?", null,
                new FollowUps.AskSettings(125e6, 0.001));
        assertEquals("text", byDefault.get("path"), "the configured default deadline applies");
        assertThrows(IllegalArgumentException.class,
                () -> FollowUps.answer(store, captioner, "job1", -1, "what is it ?", -5.0, settings));
    }

    @Test
    void theTextContextIsTheCaptionsFileWhenWrittenElseTheStoredCaptions() throws Exception {
        List<String> contexts = List.of("job2/" + VlmStage.contextName(0));
        store.put("job2", VlmStage.contextName(0), caption.context());
        assertEquals(caption.text().trim(), FollowUps.textContext(store, captioner, "job2", contexts, contexts.get(0)));
        store.put("job2", "results/captions.json",
                "{\"segments\":[{\"text\":\"a red car\"},{\"text\":\"a dog\"}]}".getBytes(StandardCharsets.UTF_8));
        assertEquals("a red car a dog", FollowUps.textContext(store, captioner, "job2", contexts, contexts.get(0)));
    }

    @Test
    void theKafkaDeadlineHeaderIsReadAndValidated() {
        ConsumerRecord<String, byte[]> none = new ConsumerRecord<>("prism.ask", 0, 0L, "job1", new byte[0]);
        assertNull(AskStage.deadline(none));
        ConsumerRecord<String, byte[]> some = new ConsumerRecord<>("prism.ask", 0, 0L, "job1", new byte[0]);
        some.headers().add(AskStage.DEADLINE_HEADER, "250".getBytes(StandardCharsets.UTF_8));
        assertEquals(250.0, AskStage.deadline(some));
        ConsumerRecord<String, byte[]> bad = new ConsumerRecord<>("prism.ask", 0, 0L, "job1", new byte[0]);
        bad.headers().add(AskStage.DEADLINE_HEADER, "soon".getBytes(StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> AskStage.deadline(bad));
    }
}
