package dev.prism.audio;

/** Bad audio input or a recognizer/model that cannot be used; the message names the input and what to do. */
public class AudioException extends RuntimeException {
    public AudioException(String message) {
        super(message);
    }

    public AudioException(String message, Throwable cause) {
        super(message, cause);
    }
}
