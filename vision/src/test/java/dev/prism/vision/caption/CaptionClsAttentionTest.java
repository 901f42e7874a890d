package dev.prism.vision.caption;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prism.llm.checkpoint.Checkpoint;
import dev.prism.llm.model.VisionSpec;
import dev.prism.llm.reference.RefVision;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folded CLS-row attention equals the reference vision layer's attention row 0 over the patch keys (A2 step 1). */
class CaptionClsAttentionTest {
    @TempDir
    Path tmp;

    @Test
    void foldedClsRowMatchesTheReferenceLayer() {
        try (Checkpoint c = Checkpoint.open(DemoCheckpoints.tiny(tmp))) {
            String prefix = "vision_tower.vision_model.";
            VisionSpec spec = VisionSpec.from(c.config().section("vision_config"), prefix);
            int layer = spec.layers() - 1;
            int n = 29; // e.g. CLS + 28 tokens left after one 3x3 merge of a 6x6 grid
            float[] x = new float[n * spec.hidden()];
            Random rnd = new Random(5);
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rnd.nextGaussian();
            }
            float[][] mine = new ClsAttention(spec, c.weights(), layer).clsToPatches(x, n);
            float[][] ref = RefVision.layer(spec, name -> c.weights().get(spec.layerPrefix(layer) + name).toFloatArray(),
                    x, n).row0();
            for (int h = 0; h < spec.heads(); h++) {
                for (int j = 1; j < n; j++) {
                    assertEquals(ref[h][j], mine[h][j - 1], 1e-5, "head " + h + " key " + j);
                }
            }
        }
    }
}
