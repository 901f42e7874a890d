package dev.prism.streaming.events;

/**
 * A follow-up question about a job's video, answered from its cached (CacheGen-encoded) context.
 *
 * @param deadlineMs time the asker can wait for the answer, or null for the service's default: a context that
 *                   cannot be loaded in time is answered from the job's text (captions, transcript) instead
 */
public record AskRequest(String jobId, String requestId, String question, long atMs, Double deadlineMs)
        implements PrismEvent {

    public AskRequest(String jobId, String requestId, String question, long atMs) {
        this(jobId, requestId, question, atMs, null);
    }
}
