package dev.prism.llm.hub;

/** A fetch failed or the cache cannot satisfy an offline request; the message says what to do. */
public class HubException extends RuntimeException {
    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
