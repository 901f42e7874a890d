package dev.prism.audio.asr;

import java.util.List;

/**
 * Incremental decoding of one audio stream, utterance by utterance: audio is pushed as it arrives and searched at
 * once, keeping the search state between pushes, so each push costs only its own audio. Not thread-safe.
 */
public interface IncrementalDecoder extends AutoCloseable {
    /** Starts an utterance whose first pushed sample lies at {@code offsetSeconds} on the caller's clock. */
    void start(double offsetSeconds);

    boolean isOpen();

    /** Caller's clock just after the last sample pushed into the open utterance. */
    double fedUntil();

    /** Pushes {@code pcm[from, to)} (16 kHz, in [-1, 1]) into the open utterance and decodes it. */
    void accept(float[] pcm, int from, int to);

    /** Best hypothesis so far of the open utterance (completed words only, in time order). */
    List<RecognizedWord> partial();

    /** Ends the open utterance and returns its final words; then {@link #start} may begin the next one. */
    List<RecognizedWord> finish();

    @Override
    void close();
}
