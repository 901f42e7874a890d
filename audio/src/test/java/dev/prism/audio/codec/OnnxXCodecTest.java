package dev.prism.audio.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.codecs.quant.CodebookLearner;
import dev.prism.codecs.quant.LearningParams;
import dev.prism.codecs.quant.ResidualVectorQuantizer;
import dev.prism.codecs.xcodec.Linear;
import dev.prism.codecs.xcodec.SemanticFeatures;
import dev.prism.codecs.xcodec.XCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** X-Codec (ALGORITHMS.md 6) end to end with an ONNX teacher and the ONNX acoustic pair, all generated. */
class OnnxXCodecTest {
    static final int SR = 16_000;
    static final int SEM = 48;
    static final int AC = 32;
    static final int FUSED = 64;

    @TempDir
    static Path dir;
    static OnnxSemanticEncoder teacher;
    static OnnxLatentModel acoustic;
    static Linear fcPrior;
    static Linear fcPost2;
    static ResidualVectorQuantizer rvq;

    @BeforeAll
    static void setUp() throws IOException {
        teacher = OnnxSemanticEncoder.load(TinySemanticNet.write(dir.resolve("teacher.onnx"), SEM, 3, 1L));
        TinyCodecNets.write(dir.resolve("acoustic"), "tiny-acoustic-16k", SR, new int[] {2, 4, 5, 8}, 8, AC, 2L);
        acoustic = OnnxLatentModel.load(dir.resolve("acoustic"), 1, 4);
        fcPrior = linear(AC + SEM, FUSED, 3L);
        fcPost2 = linear(FUSED, AC, 4L);
        // RVQ learned on fused vectors of a training signal, as X-Codec's EMA codebooks would be.
        XCodec probe = new XCodec(acoustic::encoder, acoustic::decoder, teacher, fcPrior,
                new ResidualVectorQuantizer(List.of(new dev.prism.codecs.quant.Codebook(2, FUSED, new float[2 * FUSED]))),
                fcPost2, 0);
        float[] train = OnnxLatentTest.signal(SR * 6, 5);
        float[][] z = acoustic.encodeAll(train);
        float[][] sem = SemanticFeatures.extract(teacher, train);
        int n = Math.min(z.length, sem.length);
        float[] data = new float[n * FUSED];
        for (int t = 0; t < n; t++) {
            System.arraycopy(probe.fuse(z[t], sem[t]), 0, data, t * FUSED, FUSED);
        }
        rvq = new CodebookLearner(LearningParams.defaults().withKmeansIters(5).withSeed(3L))
                .learnRvq(data, n, FUSED, 4, 16);
    }

    @AfterAll
    static void close() {
        teacher.close();
        acoustic.close();
    }

    static Linear linear(int in, int out, long seed) {
        Random r = new Random(seed);
        float[] w = new float[in * out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() / Math.sqrt(in));
        }
        return new Linear(in, out, w, new float[out]);
    }

    static XCodec codec(OnnxSemanticEncoder t) {
        return new XCodec(acoustic::encoder, acoustic::decoder, t, fcPrior, rvq, fcPost2, 3200);
    }

    @Test
    void teacherReturnsEveryHiddenStateAtFiftyHertz() {
        assertEquals(4, teacher.numHiddenStates(), "embedding output + 3 layers");
        assertEquals(SEM, teacher.dim());
        float[] x = OnnxLatentTest.signal(3_200, 1);
        List<float[][]> hs = teacher.hiddenStates(x);
        assertEquals(4, hs.size());
        assertEquals((3_200 - 400) / 320 + 1, hs.get(0).length, "HuBERT framing: receptive field 400, stride 320");
        float[][] avg = SemanticFeatures.extract(teacher, x);
        List<float[][]> tooShort = teacher.hiddenStates(new float[399]);
        assertEquals(4, tooShort.size());
        assertEquals(0, tooShort.get(0).length, "shorter than the receptive field: no frames");
        float[] p = new float[3_200 + 320];
        System.arraycopy(x, 0, p, 160, 3_200);
        List<float[][]> ph = teacher.hiddenStates(p);
        for (int d = 0; d < SEM; d++) {
            float mean = 0;
            for (float[][] layer : ph) {
                mean += layer[4][d] / 4f;
            }
            assertEquals(mean, avg[4][d], 1e-5, "average of all hidden states after the 160-sample padding");
        }
        boolean layersDiffer = false;
        for (int d = 0; d < SEM; d++) {
            layersDiffer |= Math.abs(ph.get(0)[2][d] - ph.get(3)[2][d]) > 1e-3;
        }
        assertTrue(layersDiffer, "the layers transform the features");
    }

    @Test
    void chunkedEncodingEqualsWholeAndDecodingRunsOnlyTheAcousticPart() {
        XCodec xc = codec(teacher);
        float[] x = OnnxLatentTest.signal(SR * 2 + 123, 8);
        int[][] whole = xc.encode(x, 4);
        assertEquals((x.length + 319) / 320, whole.length, "one code frame per acoustic frame");
        XCodec.StreamEncoder enc = xc.newEncoder(4);
        List<int[]> chunked = new ArrayList<>();
        Random rnd = new Random(6);
        for (int pos = 0; pos < x.length; ) {
            int len = Math.min(x.length - pos, 1 + rnd.nextInt(2500));
            chunked.addAll(enc.push(x, pos, len));
            pos += len;
        }
        chunked.addAll(enc.finish());
        assertArrayEquals(whole, chunked.toArray(new int[0][]));

        // Decode = RVQ decode -> fc_post2 -> acoustic decoder, nothing semantic.
        float[] y = xc.decode(whole, x.length);
        float[][] lat = new float[whole.length][];
        float[] fused = new float[FUSED];
        for (int t = 0; t < whole.length; t++) {
            rvq.withStages(4).decode(whole[t], 0, fused, 0);
            lat[t] = fcPost2.apply(fused);
        }
        float[] ref = acoustic.decodeAll(lat);
        for (int i = 0; i < x.length; i++) {
            assertEquals(ref[i], y[i], 1e-4, "sample " + i);
        }
    }

    @Test
    void codesDependOnTheSemanticTeacherAndBandwidthRuleHolds() throws IOException {
        float[] x = OnnxLatentTest.signal(SR, 9);
        int[][] a = codec(teacher).encode(x, 4);
        int differ = 0;
        try (OnnxSemanticEncoder other = OnnxSemanticEncoder.load(TinySemanticNet.write(dir.resolve("t2.onnx"), SEM, 3, 77L))) {
            int[][] b = codec(other).encode(x, 4);
            for (int t = 0; t < a.length; t++) {
                differ += java.util.Arrays.equals(a[t], b[t]) ? 0 : 1;
            }
        }
        assertTrue(differ > 0, "another teacher must change the fused codes");
        assertEquals(1, codec(teacher).numQuantizers(0.5));
        assertEquals(4, codec(teacher).numQuantizers(2));
    }

    @Test
    void anExportWithoutHiddenStatesIsRefused() throws IOException {
        Path f = dir.resolve("acoustic/encoder.onnx");
        OnnxCodecException e = assertThrows(OnnxCodecException.class, () -> OnnxSemanticEncoder.load(f));
        assertTrue(e.getMessage().contains("input_values"), e.getMessage());
    }
}
