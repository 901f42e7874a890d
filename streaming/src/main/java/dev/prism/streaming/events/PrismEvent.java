package dev.prism.streaming.events;

/**
 * Every record Prism puts on a topic. Metadata travels as JSON (new fields can be added: readers ignore
 * fields they do not know); tensors and codes travel as the envelope's binary payload ({@link Payload}).
 */
public sealed interface PrismEvent permits JobRequest, JobEvent, AudioWindow, FrameBatch, VisionTokens,
        Caption, TranscriptUpdate, CodecFrame, GaussianFrame, AskRequest, AskAnswer {

    /** All of a job's records share its id as the Kafka key, so they stay ordered on one partition. */
    String jobId();
}
