package dev.prism.audio;

import dev.prism.audio.asr.SphinxOptions;
import dev.prism.audio.asr.whisper.WhisperOptions;
import dev.prism.audio.streaming.StreamingOptions;
import dev.prism.audio.vad.VadOptions;

import java.nio.file.Path;

/**
 * Everything a {@link Transcriber} needs, with validated defaults.
 *
 * @param recognizer      which recognizer to load
 * @param sphinx          Sphinx4 search settings (used when {@code recognizer} is SPHINX4)
 * @param vadModel        silero_vad.onnx, or null for the built-in energy/spectral VAD
 * @param vad             how VAD probabilities become speech regions (offline and streaming)
 * @param streaming       chunk size, overlap, buffer bound for streams
 * @param minConfidence   mean word confidence below which a transcript is flagged {@code low-confidence}
 * @param clippedFraction fraction of samples at full scale above which audio is flagged {@code clipped}
 * @param whisper         Whisper checkpoint and decoding settings (required when {@code recognizer} is WHISPER,
 *                        else may be null)
 */
public record TranscriberOptions(Recognizer recognizer, SphinxOptions sphinx, Path vadModel, VadOptions vad,
                                 StreamingOptions streaming, double minConfidence, double clippedFraction,
                                 WhisperOptions whisper) {
    /** Recognizers this library can load. */
    public enum Recognizer { SPHINX4, WHISPER }

    public TranscriberOptions {
        if (recognizer == null || sphinx == null || vad == null || streaming == null) {
            throw new IllegalArgumentException("TranscriberOptions: recognizer, sphinx, vad and streaming must be set");
        }
        if (!(minConfidence >= 0 && minConfidence <= 1 && clippedFraction > 0 && clippedFraction <= 1)) {
            throw new IllegalArgumentException("TranscriberOptions: minConfidence in [0, 1], clippedFraction in (0, 1]");
        }
    }

    /** Without Whisper settings (Sphinx4, or WHISPER failing at load with a message saying what to set). */
    public TranscriberOptions(Recognizer recognizer, SphinxOptions sphinx, Path vadModel, VadOptions vad,
                              StreamingOptions streaming, double minConfidence, double clippedFraction) {
        this(recognizer, sphinx, vadModel, vad, streaming, minConfidence, clippedFraction, null);
    }

    public static TranscriberOptions defaults() {
        return new TranscriberOptions(Recognizer.SPHINX4, SphinxOptions.defaults(), null, VadOptions.defaults(),
                StreamingOptions.defaults(), 0.3, 0.001, null);
    }

    public TranscriberOptions withVadModel(Path model) {
        return new TranscriberOptions(recognizer, sphinx, model, vad, streaming, minConfidence, clippedFraction, whisper);
    }

    public TranscriberOptions withStreaming(StreamingOptions s) {
        return new TranscriberOptions(recognizer, sphinx, vadModel, vad, s, minConfidence, clippedFraction, whisper);
    }

    public TranscriberOptions withSphinx(SphinxOptions s) {
        return new TranscriberOptions(recognizer, s, vadModel, vad, streaming, minConfidence, clippedFraction, whisper);
    }

    /**
     * Selects Whisper with these settings. Whisper cannot decode incrementally, so default streaming settings become
     * {@link StreamingOptions#redecodeDefaults()} (1 s chunks: the incremental defaults' 0.5 s steps would double
     * its re-decoding); explicitly chosen streaming settings are kept.
     */
    public TranscriberOptions withWhisper(WhisperOptions w) {
        StreamingOptions s = streaming.equals(StreamingOptions.defaults()) ? StreamingOptions.redecodeDefaults() : streaming;
        return new TranscriberOptions(Recognizer.WHISPER, sphinx, vadModel, vad, s, minConfidence, clippedFraction, w);
    }
}
