package dev.prism.streaming.events;

import java.util.Map;

/** A segment's vision tokens after encoding, MustDrop stage A and temporal dedup; tokens in the media store. */
public record VisionTokens(String jobId, int segment, double start, double end, boolean last,
                           String tokensRef, int tokens, Map<String, Object> figures, JobRequest job)
        implements PrismEvent {
}
