package dev.prism.audio.codec;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.prism.llm.runtime.RuntimeFailure;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Owner of one ONNX Runtime session loaded from an exported model file. Float32 tensors in, float32
 * tensors out as plain arrays; no ORT type leaves this class. {@link #run} is thread-safe (ORT
 * sessions are), so one model serves every stream.
 */
final class OnnxModel implements AutoCloseable {
    /** A float tensor as a flat row-major array and its shape. */
    record Tensor(float[] data, long[] shape) {
    }

    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;

    private OnnxModel(Path file, OrtEnvironment env, OrtSession session) {
        this.file = file;
        this.env = env;
        this.session = session;
    }

    /** @param threads intra-op threads (0 = ONNX Runtime's default, one per core) */
    static OnnxModel load(Path file, int threads) throws OnnxCodecException {
        if (!Files.isRegularFile(file)) {
            throw new OnnxCodecException("ONNX model " + file + " does not exist; check the model directory");
        }
        OrtEnvironment env = dev.prism.llm.runtime.OrtRuntime.environment(); // DJL's engine first (Silero VAD)
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                so.setIntraOpNumThreads(threads);
            }
            so.setInterOpNumThreads(1);
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return new OnnxModel(file, env, env.createSession(file.toString(), so));
        } catch (OrtException e) {
            throw new OnnxCodecException("ONNX Runtime cannot load " + file + " (not an ONNX model, or an operator"
                    + " this runtime lacks): " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    Set<String> inputNames() {
        return session.getInputNames();
    }

    Set<String> outputNames() {
        return session.getOutputNames();
    }

    /** Declared shape of an output (-1 for symbolic dims), or null when it is not a tensor. */
    long[] outputShape(String name) {
        try {
            ai.onnxruntime.NodeInfo info = session.getOutputInfo().get(name);
            return info != null && info.getInfo() instanceof ai.onnxruntime.TensorInfo t ? t.getShape() : null;
        } catch (OrtException e) {
            throw new RuntimeFailure(file + ": cannot read output info: " + e.getMessage(), e);
        }
    }

    /** Runs the model on one input and returns the requested outputs, in the order asked. */
    Map<String, Tensor> run(String input, float[] data, long[] shape, List<String> outputs) {
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
             OrtSession.Result r = session.run(Map.of(input, in), new java.util.LinkedHashSet<>(outputs))) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : outputs) {
                Optional<OnnxValue> v = r.get(name);
                if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
                    throw new RuntimeFailure(file + ": output '" + name + "' missing or not a tensor");
                }
                FloatBuffer fb = t.getFloatBuffer();
                if (fb == null) {
                    throw new RuntimeFailure(file + ": output '" + name + "' is not float32");
                }
                float[] a = new float[fb.remaining()];
                fb.get(a);
                out.put(name, new Tensor(a, t.getInfo().getShape()));
            }
            return out;
        } catch (OrtException e) {
            throw new RuntimeFailure(file + ": run failed for input '" + input + "' of shape "
                    + java.util.Arrays.toString(shape) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException ignored) {
            // nothing left to release once close failed
        }
    }
}
