package dev.prism.streaming.events;

/** A follow-up question about a job's video, answered from its cached (CacheGen-encoded) context. */
public record AskRequest(String jobId, String requestId, String question, long atMs) implements PrismEvent {
}
