package dev.prism.audio.vad;

/**
 * Frame-wise speech probability for 16 kHz mono PCM. Frame {@code i} covers samples
 * {@code [i * FRAME, (i + 1) * FRAME)}; a trailing partial frame is zero-padded and scored.
 * Implementations are thread-safe.
 */
public interface VoiceActivityDetector extends AutoCloseable {
    /** Samples per probability: 512 at 16 kHz (32 ms), Silero v5's window. */
    int FRAME = 512;
    int SAMPLE_RATE = 16_000;

    String name();

    float[] speechProbabilities(float[] pcm16k);

    @Override
    default void close() {
    }
}
