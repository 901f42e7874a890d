package dev.prism.deploy.stages;

import dev.prism.streaming.events.AskAnswer;
import dev.prism.streaming.events.AskRequest;
import dev.prism.streaming.runtime.StageContext;
import dev.prism.streaming.runtime.StageHandler;
import dev.prism.vision.caption.Captioner;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * prism.ask -> prism.answers: follow-up questions over Kafka, answered from the job's cached context, or from its text
 * when the request's deadline cannot be met (see {@link FollowUps}). The optional deadline is the request's
 * {@code deadlineMs} field, or else the record header {@value #DEADLINE_HEADER} (milliseconds, decimal text).
 */
public final class AskStage implements StageHandler {
    public static final String DEADLINE_HEADER = "prism-deadline-ms";

    private final StageSupport io;
    private final Background<Captioner> captioner;
    private final FollowUps.AskSettings settings;

    public AskStage(StageServices services) {
        this(services, FollowUps.AskSettings.of(services.config().ask()));
    }

    public AskStage(StageServices services, FollowUps.AskSettings settings) {
        this.io = services.support();
        this.captioner = services.captioner();
        this.settings = settings;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> in, StageContext ctx) throws Exception {
        AskRequest q = io.read(in, AskRequest.class, "an ask request");
        AskAnswer a;
        try {
            Map<String, Object> r = FollowUps.answer(io.store(), captioner.get(), q.jobId(), -1, q.question(),
                    q.deadlineMs() != null ? q.deadlineMs() : deadline(in), settings);
            a = new AskAnswer(q.jobId(), q.requestId(), (String) r.get("answer"), (Boolean) r.get("demo"), null, r);
        } catch (IllegalArgumentException | IllegalStateException e) {
            a = new AskAnswer(q.jobId(), q.requestId(), null, false, e.getMessage(), Map.of());
        }
        io.send(ctx, io.topics().askAnswers(), a);
    }

    /** The request's deadline header, or null; a header that is not a positive number is a client error. */
    static Double deadline(ConsumerRecord<String, byte[]> in) {
        Header h = in.headers() == null ? null : in.headers().lastHeader(DEADLINE_HEADER);
        if (h == null || h.value() == null) {
            return null;
        }
        String v = new String(h.value(), StandardCharsets.UTF_8).trim();
        try {
            double d = Double.parseDouble(v);
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("header " + DEADLINE_HEADER + " must be a positive number of ms, got '"
                        + v + "'");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("header " + DEADLINE_HEADER + " must be a number of ms, got '" + v + "'");
        }
    }
}
