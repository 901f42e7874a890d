package dev.prism.deploy.stages;

import dev.prism.streaming.events.Caption;
import dev.prism.streaming.events.JobEvent;
import dev.prism.streaming.events.VisionTokens;
import dev.prism.streaming.runtime.StageContext;
import dev.prism.streaming.runtime.StageHandler;
import dev.prism.vision.caption.CaptionResult;
import dev.prism.vision.caption.Captioner;
import dev.prism.vision.caption.VisionBatch;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * prism.vision.tokens -> prism.captions: the VLM captions each segment from its pruned vision tokens
 * (MustDrop B/C, PLPHP, Elastic Cache), and stores the segment's CacheGen-encoded context so follow-up
 * questions load it instead of recomputing prefill.
 */
public final class VlmStage implements StageHandler {

    public static final String DEFAULT_QUESTION = "Describe what happens in this part of the video.";
    private final StageSupport io;
    private final Background<Captioner> captioner;

    public VlmStage(StageServices services) {
        this.io = services.support();
        this.captioner = services.captioner();
    }

    /** The checkpoint family's chat template around the image placeholder and the question. */
    public static String prompt(String architecture, String question) {
        return architecture.equals("llava") ? "USER: <image>\n" + question + " ASSISTANT:"
                : "<|im_start|>User:<image>" + question + "<end_of_utterance>\nAssistant:";
    }

    public static String contextName(int segment) {
        return String.format("context/%06d.cachegen", segment);
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> in, StageContext ctx) throws IOException {
        VisionTokens v = io.read(in, VisionTokens.class, "a vision-token record");
        if (v.job() == null || !v.job().wants("captions")) return;
        Captioner c = captioner.get();
        Map<String, Object> fig = new LinkedHashMap<>();
        String text = "";
        if (v.tokensRef() != null) {
            VisionBatch batch = VisionBatch.fromBytes(io.readBytes(v.tokensRef()));
            String prompt = prompt(c.architecture(), v.job().prompt() == null || v.job().prompt().isBlank()
                    ? DEFAULT_QUESTION : v.job().prompt());
            CaptionResult r = c.caption(batch, prompt);
            text = r.text().trim();
            fig.putAll(r.figures().toMap());
            if (r.context() != null) io.store().put(v.jobId(), contextName(v.segment()), r.context());
        }
        fig.put("demo", c.isDemo());
        io.send(ctx, io.topics().captions(), new Caption(v.jobId(), v.segment(), v.start(), v.end(), v.last(), text,
                c.isDemo() ? "prism-demo-" + c.architecture() + " (generated weights)" : c.architecture(), c.isDemo(), fig));
        if (v.last()) {
            io.event(ctx, JobEvent.done(v.jobId(), "vlm", fig));
        } else {
            io.progress(ctx, v.jobId(), "vlm", 0, v.segment(), fig);
        }
    }
}
