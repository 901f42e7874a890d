package dev.prism.codecs.bitstream;

import java.io.IOException;

/** A .codes stream is truncated, tampered with or incompatible; names the absolute byte offset. */
public class CodesFormatException extends IOException {
    private final long offset;

    public CodesFormatException(long offset, String message) {
        super(message + " (at byte offset " + offset + ")");
        this.offset = offset;
    }

    public CodesFormatException(long offset, String message, Throwable cause) {
        super(message + " (at byte offset " + offset + ")", cause);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
