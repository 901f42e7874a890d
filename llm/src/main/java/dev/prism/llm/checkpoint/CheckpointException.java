package dev.prism.llm.checkpoint;

/** A checkpoint directory or file could not be read; the message names the file, the problem and the fix. */
public class CheckpointException extends RuntimeException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
