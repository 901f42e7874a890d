package dev.prism.llm.pruning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AttentionProbeTest {
    static float[][][] random(Random rnd, int a, int b, int c) {
        float[][][] x = new float[a][b][c];
        for (float[][] m : x) {
            for (float[] r : m) {
                for (int i = 0; i < c; i++) {
                    r[i] = (float) rnd.nextGaussian();
                }
            }
        }
        return x;
    }

    @Test
    void columnSumsEqualTheSumsOfTheFullCausalMatrixUnderGqa() {
        Random rnd = new Random(1);
        int l = 20;
        float[][][] q = random(rnd, 4, l, 8);
        float[][][] k = random(rnd, 2, l, 8);
        float[][] sums = AttentionProbe.causalColumnSums(q, k);
        int[] visible = new int[l];
        for (int i = 0; i < l; i++) {
            visible[i] = i + 1;
        }
        float[][][] full = AttentionProbe.rows(q, k, visible);
        for (int h = 0; h < 4; h++) {
            double total = 0;
            for (int j = 0; j < l; j++) {
                double s = 0;
                for (int i = 0; i < l; i++) {
                    s += full[h][i][j];
                    if (i < j) {
                        assertEquals(0f, full[h][i][j], "causal mask");
                    }
                }
                assertEquals(s, sums[h][j], 1e-5);
                total += sums[h][j];
            }
            assertEquals(l, total, 1e-4, "every row sums to one");
        }
        // head 0 and 1 share KV head 0: a direct softmax of row 5 agrees
        double scale = 1 / Math.sqrt(8);
        double[] z = new double[6];
        double zs = 0;
        for (int j = 0; j < 6; j++) {
            double dot = 0;
            for (int d = 0; d < 8; d++) {
                dot += q[1][5][d] * k[0][j][d];
            }
            z[j] = Math.exp(dot * scale);
            zs += z[j];
        }
        assertEquals(z[3] / zs, full[1][5][3], 1e-6);
        assertThrows(PruningInputException.class, () -> AttentionProbe.causalColumnSums(random(rnd, 3, 2, 8), k));
    }
}
