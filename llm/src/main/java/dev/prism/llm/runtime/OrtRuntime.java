package dev.prism.llm.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.prism.llm.onnx.GraphBuilder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Creates block sessions from built graphs; weights come from a name -> float32 buffer lookup.
 *
 * <p>A model is dozens of small sessions run one after another, so they share ORT's global thread
 * pool (created by the first runtime in the process, with its thread count) instead of one pool per
 * session; a runtime asking for a different count, or one created after something else made the ORT
 * environment, falls back to per-session pools.
 */
public final class OrtRuntime {
    private static int globalThreads = -1;
    private final OrtEnvironment env;
    private final RuntimeOptions options;
    private final boolean sharedPool;

    public OrtRuntime(RuntimeOptions options) {
        djlEngineFirst();
        this.options = options;
        this.sharedPool = !options.cuda() && globalPool(options.intraOpThreads(), options.allowSpinning());
        this.env = OrtEnvironment.getEnvironment();
    }

    /**
     * DJL's OnnxRuntime engine (Silero VAD, standard ONNX exports) creates the process-wide ORT environment
     * with its own options and fails for good if one already exists, while this runtime attaches to whatever
     * environment is there. So the DJL engine, when present, always starts first.
     */
    /** The process-wide ORT environment for code that runs plain ONNX sessions, created after DJL's engine. */
    public static OrtEnvironment environment() {
        djlEngineFirst();
        return OrtEnvironment.getEnvironment();
    }

    private static void djlEngineFirst() {
        try {
            ai.djl.engine.Engine.getEngine("OnnxRuntime");
        } catch (RuntimeException | LinkageError e) {
            // no DJL OnnxRuntime engine in this process: nothing to order
        }
    }

    private static synchronized boolean globalPool(int threads, boolean spin) {
        if (globalThreads >= 0) {
            return globalThreads == threads;
        }
        if (globalThreads == -2) {
            return false;
        }
        try (OrtEnvironment.ThreadingOptions to = new OrtEnvironment.ThreadingOptions()) {
            to.setGlobalIntraOpNumThreads(threads);
            to.setGlobalInterOpNumThreads(1);
            to.setGlobalSpinControl(spin);
            OrtEnvironment.getEnvironment(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "prism", to);
            globalThreads = threads;
            return true;
        } catch (OrtException | RuntimeException e) {
            globalThreads = -2;
            return false;
        }
    }

    public OrtEnvironment env() {
        return env;
    }

    public RuntimeOptions options() {
        return options;
    }

    /**
     * Compiles one block: the graph bytes come from the builder, and every declared weight is wrapped
     * (not copied) from the direct buffer the resolver returns for its graph name.
     */
    public BlockSession compile(GraphBuilder graph, Function<String, FloatBuffer> weightResolver) {
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, long[]> w : graph.weights().entrySet()) {
                FloatBuffer data = weightResolver.apply(w.getKey());
                long expect = 1;
                for (long d : w.getValue()) {
                    expect *= d;
                }
                if (data.remaining() != expect) {
                    throw new RuntimeFailure("weight '" + w.getKey() + "' has " + data.remaining()
                            + " values but the graph expects " + expect + " (config.json does not match the weights?)");
                }
                tensors.put(w.getKey(), OnnxTensor.createTensor(env, data, w.getValue()));
            }
            try (OrtSession.SessionOptions so = sessionOptions()) {
                if (graph.weightMode() == GraphBuilder.WeightMode.EXTERNAL_INITIALIZER && !tensors.isEmpty()) {
                    so.addExternalInitializers(new LinkedHashMap<String, OnnxTensorLike>(tensors));
                }
                OrtSession session = env.createSession(graph.toModelBytes(), so);
                return new BlockSession(session, tensors, graph.weightMode() == GraphBuilder.WeightMode.GRAPH_INPUT);
            }
        } catch (OrtException e) {
            tensors.values().forEach(OnnxTensor::close);
            throw new RuntimeFailure("ONNX Runtime could not create the session for graph weights "
                    + graph.weights().keySet() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            tensors.values().forEach(OnnxTensor::close);
            throw e;
        }
    }

    private OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        if (sharedPool) {
            so.disablePerSessionThreads();
        } else {
            if (options.intraOpThreads() > 0) {
                so.setIntraOpNumThreads(options.intraOpThreads());
            }
            so.setInterOpNumThreads(1);
            so.addConfigEntry("session.intra_op.allow_spinning", options.allowSpinning() ? "1" : "0");
        }
        so.addConfigEntry("session.disable_prepacking", options.prepackWeights() ? "0" : "1");
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // each per-layer session's CPU arena keeps its peak (long prefills: ~[heads, L, L] per layer); -Dprism.ort.arena=false frees it after every run
        so.setCPUArenaAllocator(Boolean.parseBoolean(System.getProperty("prism.ort.arena", "true")));
        if (options.cuda()) {
            so.addCUDA(0);
        }
        return so;
    }
}
