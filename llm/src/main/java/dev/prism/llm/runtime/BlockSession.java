package dev.prism.llm.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** One compiled block (an ORT session) and the weight tensors that wrap its mapped buffers. */
public final class BlockSession implements AutoCloseable {
    private final OrtSession session;
    private final Map<String, OnnxTensor> weights;
    private final boolean weightsAsInputs;

    BlockSession(OrtSession session, Map<String, OnnxTensor> weights, boolean weightsAsInputs) {
        this.session = session;
        this.weights = weights;
        this.weightsAsInputs = weightsAsInputs;
    }

    /** Runs the block; the caller closes the result. */
    public OrtSession.Result run(Map<String, ? extends OnnxTensorLike> inputs, Set<String> outputs) {
        try {
            if (!weightsAsInputs) {
                return session.run(inputs, outputs);
            }
            Map<String, OnnxTensorLike> all = new HashMap<>(inputs);
            all.putAll(weights);
            return session.run(all, outputs);
        } catch (OrtException e) {
            throw new RuntimeFailure("block run failed (inputs " + inputs.keySet() + ", outputs " + outputs + "): "
                    + e.getMessage(), e);
        }
    }

    public Set<String> outputNames() {
        return session.getOutputNames();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException ignored) {
            // closing a session cannot be retried; the weights below are still released
        }
        weights.values().forEach(OnnxTensor::close);
    }
}
