package dev.prism.vision.depth;

/** A depth model that cannot be loaded or run; the message names the model and what to do. */
public class DepthEstimationException extends RuntimeException {
    public DepthEstimationException(String message, Throwable cause) {
        super(message, cause);
    }

    public DepthEstimationException(String message) {
        super(message);
    }
}
