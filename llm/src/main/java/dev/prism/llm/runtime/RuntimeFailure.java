package dev.prism.llm.runtime;

/** ONNX Runtime refused a graph or a run; the message names the block and the cause. */
public class RuntimeFailure extends RuntimeException {
    public RuntimeFailure(String message) {
        super(message);
    }

    public RuntimeFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
