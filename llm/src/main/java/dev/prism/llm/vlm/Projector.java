package dev.prism.llm.vlm;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.prism.llm.runtime.BlockSession;
import dev.prism.llm.runtime.OrtRuntime;
import dev.prism.llm.runtime.RuntimeFailure;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;

/** A compiled projector block: vision tokens [N, Dv] to text-space tokens [N', Dt]. */
public final class Projector implements AutoCloseable {
    private final OrtRuntime rt;
    private final BlockSession session;
    private final int inDim;
    private final int outDim;

    Projector(OrtRuntime rt, BlockSession session, int inDim, int outDim) {
        this.rt = rt;
        this.session = session;
        this.inDim = inDim;
        this.outDim = outDim;
    }

    public int outDim() {
        return outDim;
    }

    public float[] project(float[] tokens) {
        int n = tokens.length / inDim;
        try (OnnxTensor in = OnnxTensor.createTensor(rt.env(), FloatBuffer.wrap(tokens), new long[] {n, inDim});
             OrtSession.Result r = session.run(Map.of("x", in), Set.of("y"))) {
            return VisionTower.floats(r, "y");
        } catch (OrtException e) {
            throw new RuntimeFailure("projector failed on " + n + " tokens: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
