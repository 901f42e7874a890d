package dev.prism.streaming.runtime;

/**
 * Thrown by {@link StageContext#checkpoint} after the checkpoint was committed when this worker must
 * give the record up (graceful shutdown, or its partition moved to another process). Let it
 * propagate: the record stays uncommitted and is resumed from the checkpoint by its next owner. The
 * runtime hands the record back even if a handler swallows this exception.
 */
public class StageStoppedException extends RuntimeException {
    StageStoppedException(String message) {
        super(message, null, false, false);
    }
}
