package dev.prism.audio.asr;

/** A recognizer that can also decode a stream incrementally (see {@link IncrementalDecoder}). */
public interface IncrementalRecognizer extends SpeechRecognizer {
    /** A decoder for one stream; close it when the stream ends. */
    IncrementalDecoder openIncremental();
}
