package dev.prism.audio.asr;

import java.util.List;

/**
 * A speech recognizer: mono PCM at 16 kHz (floats in [-1, 1]) in, words with times out.
 * Implementations are safe to call from several threads and are meant to be loaded once and reused
 * across jobs (model loading is the expensive part).
 */
public interface SpeechRecognizer extends AutoCloseable {
    int SAMPLE_RATE = 16_000;

    /** Short stable name written into transcripts, e.g. {@code sphinx4-en-us}. */
    String name();

    /** Language of the model (BCP 47, e.g. {@code en}). */
    String language();

    /**
     * Recognizes one stretch of speech (ideally one VAD region, a few seconds to tens of seconds).
     *
     * @param pcm16k        samples at 16 kHz
     * @param offsetSeconds time of {@code pcm16k[0]} on the caller's clock; added to every word time
     * @return words in time order, times within {@code [offset, offset + pcm16k.length / 16000]}
     */
    List<RecognizedWord> recognize(float[] pcm16k, double offsetSeconds);

    @Override
    void close();
}
