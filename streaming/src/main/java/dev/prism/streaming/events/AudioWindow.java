package dev.prism.streaming.events;

/**
 * One segment's audio, resampled for speech (16 kHz mono float) and for the codec (24 kHz mono float),
 * as media-store references (claim check). {@code last} marks the job's final window.
 */
public record AudioWindow(String jobId, int segment, double start, double end, boolean last,
                          String pcm16kRef, String pcm24kRef, JobRequest job) implements PrismEvent {
}
