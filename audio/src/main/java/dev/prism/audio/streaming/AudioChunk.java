package dev.prism.audio.streaming;

/** A piece of a 16 kHz mono stream: samples and the stream time of the first one, in seconds. */
public record AudioChunk(float[] pcm16k, double startSeconds) {
    public AudioChunk {
        if (pcm16k == null) {
            throw new IllegalArgumentException("audio chunk has no samples (pcm16k is null)");
        }
        if (!(startSeconds >= 0)) {
            throw new IllegalArgumentException("audio chunk start must be >= 0 seconds, was " + startSeconds);
        }
    }
}
