package dev.prism.streaming.broker;

/** The embedded broker or a topic operation failed; the message names the directory, broker or topic. */
public class BrokerException extends RuntimeException {
    public BrokerException(String message) {
        super(message);
    }

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
