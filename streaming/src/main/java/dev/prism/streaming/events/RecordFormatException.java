package dev.prism.streaming.events;

/** The bytes of a record are not a Prism event this version can read (a poison record: dead-letter it). */
public class RecordFormatException extends RuntimeException {
    public RecordFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
