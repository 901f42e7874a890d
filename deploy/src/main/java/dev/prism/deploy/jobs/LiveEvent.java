package dev.prism.deploy.jobs;

/** One entry of a job's live history, as the dashboard receives it (SSE id = seq, so reconnects resume). */
public record LiveEvent(long seq, String jobId, String type, Object data) {
}
