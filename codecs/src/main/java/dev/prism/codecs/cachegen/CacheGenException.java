package dev.prism.codecs.cachegen;

/** A KV cache or an encoded CacheGen stream that cannot be processed; the message names what and where. */
public final class CacheGenException extends RuntimeException {
    public CacheGenException(String message) {
        super(message);
    }

    public CacheGenException(String message, Throwable cause) {
        super(message, cause);
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new CacheGenException(message);
        }
    }
}
