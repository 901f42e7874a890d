package dev.prism.streaming.store;

import java.io.IOException;

/** A payload passed its size limit while being stored; the partial data was deleted. */
public class PayloadTooLargeException extends IOException {
    private final long limit;

    public PayloadTooLargeException(String what, long limit) {
        super(what + " is larger than the limit of " + limit + " bytes; nothing was stored."
                + " Send a smaller file or raise the upload limit.");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
