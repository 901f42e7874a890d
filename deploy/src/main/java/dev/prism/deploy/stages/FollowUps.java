package dev.prism.deploy.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.audio.transcript.TranscriptJson;
import dev.prism.streaming.store.MediaStore;
import dev.prism.vision.caption.Answer;
import dev.prism.vision.caption.AskOutcome;
import dev.prism.vision.caption.Captioner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers a follow-up question about a job's video from a captioned segment's stored CacheGen context (no vision
 * prefill recomputed), or, when the request's deadline cannot be met at any stored quality level with the configured
 * bandwidth, from the job's text (captions, transcript) with the prefill recomputed (ALGORITHMS.md 4.4; the choice is
 * {@code Captioner.ask(context, question, deadlineMs, bandwidth, text)}). The answer reports the path and level taken.
 * Used by the REST API and the prism.ask stage.
 */
public final class FollowUps {
    /** At most this many characters of text context (the newest) go into a text-fallback prompt. */
    static final int MAX_TEXT_CONTEXT = 4000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private FollowUps() {
    }

    /**
     * Ask-path settings: the bandwidth to the context store, and the deadline used when a request gives none.
     * Defaults: 1 Gbit/s (125,000,000 bytes/s), no deadline; system properties {@code prism.ask.bandwidth-bytes-per-second}
     * and {@code prism.ask.deadline-ms} (or env PRISM_ASK_BANDWIDTH_BYTES_PER_SECOND / PRISM_ASK_DEADLINE_MS) override.
     *
     * @param defaultDeadlineMs null for none
     */
    public record AskSettings(double bandwidthBytesPerSecond, Double defaultDeadlineMs) {
        public AskSettings {
            if (!(bandwidthBytesPerSecond > 0) || Double.isInfinite(bandwidthBytesPerSecond)) {
                throw new IllegalArgumentException("ask bandwidth " + bandwidthBytesPerSecond
                        + " bytes/s must be positive and finite");
            }
            if (defaultDeadlineMs != null && !(defaultDeadlineMs > 0)) {
                throw new IllegalArgumentException("default ask deadline " + defaultDeadlineMs + " ms must be positive");
            }
        }

        /** The service's settings ({@code prism.ask.*}). */
        public static AskSettings of(dev.prism.deploy.config.PrismConfig.Ask ask) {
            return new AskSettings(ask.bandwidthBytesPerSecond(), ask.deadlineMs().orElse(null));
        }

        public static AskSettings fromEnvironment() {
            String bw = setting("prism.ask.bandwidth-bytes-per-second", "PRISM_ASK_BANDWIDTH_BYTES_PER_SECOND");
            String dl = setting("prism.ask.deadline-ms", "PRISM_ASK_DEADLINE_MS");
            try {
                return new AskSettings(bw == null ? 125_000_000.0 : Double.parseDouble(bw),
                        dl == null ? null : Double.valueOf(dl));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ask settings are not numbers: bandwidth '" + bw + "', deadline '"
                        + dl + "'", e);
            }
        }

        private static String setting(String property, String env) {
            String v = System.getProperty(property);
            return v != null ? v : System.getenv(env);
        }
    }

    /** @param segment the segment whose context to load, or -1 for the job's last captioned segment */
    public static Map<String, Object> answer(MediaStore store, Captioner captioner, String jobId, int segment, String question)
            throws IOException {
        return answer(store, captioner, jobId, segment, question, null, AskSettings.fromEnvironment());
    }

    /**
     * @param deadlineMs the request's deadline in ms, or null for the settings' default (none: the best level)
     */
    public static Map<String, Object> answer(MediaStore store, Captioner captioner, String jobId, int segment,
            String question, Double deadlineMs, AskSettings settings) throws IOException {
        if (question == null || question.isBlank()) throw new IllegalArgumentException("the question is empty");
        if (question.length() > 2000) throw new IllegalArgumentException("the question is " + question.length() + " characters: at most 2000");
        if (deadlineMs != null && !(deadlineMs > 0)) {
            throw new IllegalArgumentException("deadlineMs " + deadlineMs + " must be positive (leave it out for none)");
        }
        List<String> contexts = store.list(jobId).stream().filter(r -> r.contains("/context/")).sorted().toList();
        if (contexts.isEmpty()) {
            throw new IllegalStateException("job " + jobId + " has no cached context: ask after its captions are done");
        }
        String ref = segment < 0 ? contexts.get(contexts.size() - 1) : jobId + "/" + VlmStage.contextName(segment);
        if (!contexts.contains(ref)) throw new IllegalArgumentException("job " + jobId + " has no context for segment " + segment);
        byte[] context = read(store, ref);
        Double deadline = deadlineMs != null ? deadlineMs : settings.defaultDeadlineMs();
        long t0 = System.nanoTime();
        AskOutcome out = captioner.ask(context, question, deadline == null ? Double.POSITIVE_INFINITY : deadline,
                settings.bandwidthBytesPerSecond(), () -> textContext(store, captioner, jobId, contexts, ref));
        Answer a = out.answer();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("answer", a.text().trim());
        m.put("demo", a.demo());
        m.put("context", ref.substring(ref.indexOf('/') + 1));
        m.put("contextBytes", context.length);
        m.put("answerMs", (System.nanoTime() - t0) / 1e6);
        m.put("prefillMs", a.prefillNanos() / 1e6);
        m.putAll(out.toMap());
        return m;
    }

    /**
     * The job's text so far for the fallback: its captions (results/captions.json when written, else the captions
     * stored in the contexts up to the asked one) and its transcript when there is one, newest text kept.
     */
    static String textContext(MediaStore store, Captioner captioner, String jobId, List<String> contexts, String upTo) {
        try {
            List<String> parts = new ArrayList<>();
            String captions = jobId + "/results/captions.json";
            if (store.exists(captions)) {
                for (JsonNode seg : JSON.readTree(read(store, captions)).path("segments")) {
                    parts.add(seg.path("text").asText(""));
                }
            } else {
                for (String c : contexts) {
                    parts.add(captioner.captionText(read(store, c)).trim());
                    if (c.equals(upTo)) {
                        break;
                    }
                }
            }
            String transcript = jobId + "/results/transcript.json";
            if (store.exists(transcript)) {
                parts.add(TranscriptJson.read(new String(read(store, transcript), StandardCharsets.UTF_8)).text());
            }
            String text = String.join(" ", parts.stream().filter(p -> !p.isBlank()).toList());
            return text.length() <= MAX_TEXT_CONTEXT ? text : text.substring(text.length() - MAX_TEXT_CONTEXT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read job " + jobId + "'s text for the fallback answer", e);
        }
    }

    private static byte[] read(MediaStore store, String ref) throws IOException {
        try (InputStream in = store.open(ref)) {
            return in.readAllBytes();
        }
    }
}
