package dev.prism.deploy.stages;

import dev.prism.streaming.events.EventCodec;
import dev.prism.streaming.events.JobRequest;
import dev.prism.streaming.events.PrismEvent;
import dev.prism.streaming.runtime.StageContext;
import dev.prism.streaming.runtime.StageHandler;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A stage whose real implementation has not landed: it never fakes a result. On a job's last input
 * record it reports the stage as skipped ("not implemented"), so the job completes with that task skipped.
 */
public final class PendingStage implements StageHandler {

    private final StageSupport support;
    private final String stage;
    private final String task;
    private final Predicate<PrismEvent> isLast;
    private final Function<PrismEvent, JobRequest> jobOf;

    public PendingStage(StageSupport support, String stage, String task, Predicate<PrismEvent> isLast,
                        Function<PrismEvent, JobRequest> jobOf) {
        this.support = support;
        this.stage = stage;
        this.task = task;
        this.isLast = isLast;
        this.jobOf = jobOf;
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> in, StageContext ctx) {
        PrismEvent e = EventCodec.decode(in.value());
        JobRequest job = jobOf.apply(e);
        if (job != null && job.wants(task) && isLast.test(e)) {
            support.skipped(ctx, e.jobId(), stage, stage + " is not implemented in this build: task '" + task + "' skipped");
        }
    }
}
