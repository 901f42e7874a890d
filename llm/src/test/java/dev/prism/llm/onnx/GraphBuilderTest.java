package dev.prism.llm.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.prism.llm.runtime.BlockSession;
import dev.prism.llm.runtime.OrtRuntime;
import dev.prism.llm.runtime.RuntimeOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GraphBuilderTest {

    @ParameterizedTest
    @EnumSource(GraphBuilder.WeightMode.class)
    void gemmWithWeightSuppliedOutsideTheModelComputesXTimesWTransposed(GraphBuilder.WeightMode mode) throws Exception {
        GraphBuilder g = new GraphBuilder("t", mode);
        String x = g.input("x", "T", 3);
        String w = g.weight("w", 2, 3);
        String y = g.op("Gemm", Map.of("transB", 1), x, w);
        String z = g.op("Mul", y, g.scalar(2f));
        g.output(z, "y", "T", 2);
        FloatBuffer wb = ByteBuffer.allocateDirect(24).order(ByteOrder.nativeOrder()).asFloatBuffer();
        wb.put(new float[] {1, 0, 0, 0, 1, 1}).flip();
        OrtRuntime rt = new OrtRuntime(RuntimeOptions.threads(1));
        try (BlockSession s = rt.compile(g, n -> wb);
             OnnxTensor xt = OnnxTensor.createTensor(rt.env(), new float[][] {{1, 2, 3}, {4, 5, 6}});
             OrtSession.Result r = s.run(Map.of("x", xt), Set.of("y"))) {
            float[][] out = (float[][]) r.get("y").get().getValue();
            assertArrayEquals(new float[] {2, 10}, out[0]);
            assertArrayEquals(new float[] {8, 22}, out[1]);
        }
    }
}
