package dev.prism.llm.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prism.llm.model.RopeScaling;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PreRopeKeysTest {
    @Test
    void unrotateUndoesTheRotationKeepsNormsAndAlignsEqualKeysAtDifferentPositions() {
        RopeScaling rope = RopeScaling.none(10000, 8);
        Random rnd = new Random(1);
        float[] base = new float[8];
        for (int i = 0; i < 8; i++) {
            base[i] = (float) rnd.nextGaussian();
        }
        long[] pos = {0, 3, 729};
        float[][][] keys = new float[1][3][];
        for (int t = 0; t < 3; t++) {
            keys[0][t] = base.clone();
        }
        PreRopeKeys.rotate(keys, pos, rope, 730);
        // position 0 is the identity rotation; the others move the key but keep its norm
        for (int i = 0; i < 8; i++) {
            assertEquals(base[i], keys[0][0][i], 1e-6);
        }
        assertEquals(norm(base), norm(keys[0][2]), 1e-5);
        // the rotate-half pairing: pair (0, 4) of position 3 turns by 3 radians (frequency 1)
        assertEquals(base[0] * Math.cos(3) - base[4] * Math.sin(3), keys[0][1][0], 1e-5);
        PreRopeKeys.unrotate(keys, pos, rope, 730);
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 8; i++) {
                assertEquals(base[i], keys[0][t][i], 1e-4, "token " + t + " channel " + i);
            }
        }
    }

    private static double norm(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
