package dev.prism.deploy.stages;

import dev.prism.streaming.events.AskAnswer;
import dev.prism.streaming.events.AskRequest;
import dev.prism.streaming.runtime.StageContext;
import dev.prism.streaming.runtime.StageHandler;
import dev.prism.vision.caption.Captioner;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** prism.ask -> prism.answers: follow-up questions over Kafka, answered from the job's cached context. */
public final class AskStage implements StageHandler {

    private final StageSupport io;
    private final Background<Captioner> captioner;

    public AskStage(StageServices services) {
        this.io = services.support();
        this.captioner = services.captioner();
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> in, StageContext ctx) throws Exception {
        AskRequest q = io.read(in, AskRequest.class, "an ask request");
        AskAnswer a;
        try {
            Map<String, Object> r = FollowUps.answer(io.store(), captioner.get(), q.jobId(), -1, q.question());
            a = new AskAnswer(q.jobId(), q.requestId(), (String) r.get("answer"), (Boolean) r.get("demo"), null, r);
        } catch (IllegalArgumentException | IllegalStateException e) {
            a = new AskAnswer(q.jobId(), q.requestId(), null, false, e.getMessage(), Map.of());
        }
        io.send(ctx, io.topics().askAnswers(), a);
    }
}
