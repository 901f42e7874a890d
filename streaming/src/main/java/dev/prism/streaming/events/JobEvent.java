package dev.prism.streaming.events;

import java.util.Map;

/**
 * Progress and outcome of one stage for one job, on {@code prism.events}. The job tracker folds these
 * into the job's state; a job ends {@code done} once every requested task is done or skipped, and
 * {@code failed(reason)} as soon as a stage it needs fails.
 */
public record JobEvent(String jobId, String stage, Kind kind, String message, double progress,
                       int segment, Map<String, Object> figures, long atMs) implements PrismEvent {

    public enum Kind { ACCEPTED, PROBED, PROGRESS, WARNING, STAGE_DONE, STAGE_SKIPPED, STAGE_FAILED, DELETED }

    public JobEvent {
        figures = figures == null ? Map.of() : figures;
    }

    public static JobEvent of(String jobId, String stage, Kind kind, String message) {
        return new JobEvent(jobId, stage, kind, message, kind == Kind.STAGE_DONE ? 1.0 : 0.0, -1, Map.of(),
                System.currentTimeMillis());
    }

    public static JobEvent progress(String jobId, String stage, double progress, int segment, Map<String, Object> figures) {
        return new JobEvent(jobId, stage, Kind.PROGRESS, null, progress, segment, figures, System.currentTimeMillis());
    }

    public static JobEvent done(String jobId, String stage, Map<String, Object> figures) {
        return new JobEvent(jobId, stage, Kind.STAGE_DONE, null, 1.0, -1, figures, System.currentTimeMillis());
    }
}
