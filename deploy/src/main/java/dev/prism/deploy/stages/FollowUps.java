package dev.prism.deploy.stages;

import dev.prism.streaming.store.MediaStore;
import dev.prism.vision.caption.Answer;
import dev.prism.vision.caption.Captioner;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers a follow-up question about a job's video from a captioned segment's stored CacheGen context
 * (no vision prefill recomputed). Used by the REST API and the prism.ask stage.
 */
public final class FollowUps {

    private FollowUps() {
    }

    /** @param segment the segment whose context to load, or -1 for the job's last captioned segment */
    public static Map<String, Object> answer(MediaStore store, Captioner captioner, String jobId, int segment, String question)
            throws IOException {
        if (question == null || question.isBlank()) throw new IllegalArgumentException("the question is empty");
        if (question.length() > 2000) throw new IllegalArgumentException("the question is " + question.length() + " characters: at most 2000");
        List<String> contexts = store.list(jobId).stream().filter(r -> r.contains("/context/")).sorted().toList();
        if (contexts.isEmpty()) {
            throw new IllegalStateException("job " + jobId + " has no cached context: ask after its captions are done");
        }
        String ref = segment < 0 ? contexts.get(contexts.size() - 1) : jobId + "/" + VlmStage.contextName(segment);
        if (!contexts.contains(ref)) throw new IllegalArgumentException("job " + jobId + " has no context for segment " + segment);
        byte[] context;
        try (InputStream in = store.open(ref)) {
            context = in.readAllBytes();
        }
        long t0 = System.nanoTime();
        Answer a = captioner.ask(context, question);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("answer", a.text().trim());
        m.put("demo", a.demo());
        m.put("context", ref.substring(ref.indexOf('/') + 1));
        m.put("contextBytes", context.length);
        m.put("answerMs", (System.nanoTime() - t0) / 1e6);
        m.put("prefillMs", a.prefillNanos() / 1e6);
        return m;
    }
}
