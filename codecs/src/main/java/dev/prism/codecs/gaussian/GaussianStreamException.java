package dev.prism.codecs.gaussian;

/** A Gaussian stream record (or V^3 packing) that cannot be decoded: the message names what was wrong. */
public class GaussianStreamException extends RuntimeException {
    public GaussianStreamException(String message) {
        super(message);
    }

    public GaussianStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
