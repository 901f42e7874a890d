package dev.prism.audio.codec;

import java.io.IOException;

/** A neural codec model directory, sidecar or ONNX file cannot be used; the message names the file and the fix. */
public class OnnxCodecException extends IOException {
    public OnnxCodecException(String message) {
        super(message);
    }

    public OnnxCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
