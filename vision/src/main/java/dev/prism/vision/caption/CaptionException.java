package dev.prism.vision.caption;

/** Bad input to the captioning library (frames, prompts, serialized batches or contexts); the message names the input and the fix. */
public final class CaptionException extends RuntimeException {
    public CaptionException(String message) {
        super(message);
    }

    public CaptionException(String message, Throwable cause) {
        super(message, cause);
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new CaptionException(message);
        }
    }
}
