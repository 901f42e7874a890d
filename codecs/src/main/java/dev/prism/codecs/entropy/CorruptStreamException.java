package dev.prism.codecs.entropy;

/**
 * A coded stream is truncated or tampered with. Unchecked so that decode loops stay readable; the
 * message and {@link #offset()} name the byte offset (relative to the start of the coded data the
 * decoder was given) where the problem became visible.
 */
public class CorruptStreamException extends RuntimeException {
    private final long offset;

    public CorruptStreamException(long offset, String message) {
        super(message + " (at byte offset " + offset + ")");
        this.offset = offset;
    }

    /** Byte offset at which the corruption was detected. */
    public long offset() {
        return offset;
    }
}
