package dev.prism.streaming.runtime;

/** Thrown by a handler for a record that can never succeed (bad bytes, bad input): straight to the DLQ, no retries. */
public class NonRetryableException extends RuntimeException {
    public NonRetryableException(String reason, Throwable cause) {
        super(reason, cause);
    }

    public NonRetryableException(String reason) {
        super(reason);
    }
}
