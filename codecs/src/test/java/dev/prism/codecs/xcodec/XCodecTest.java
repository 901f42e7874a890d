package dev.prism.codecs.xcodec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.codecs.latent.LatentEncoder;
import dev.prism.codecs.latent.MdctLatent;
import dev.prism.codecs.metrics.AudioMetrics;
import dev.prism.codecs.quant.CodebookLearner;
import dev.prism.codecs.quant.LearningParams;
import dev.prism.codecs.quant.ResidualVectorQuantizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class XCodecTest {
    static final int SR = 16_000;
    static final MdctLatent MDCT = new MdctLatent(SR, 320, 1000, 0.5);

    /** Frame-local deterministic teacher: stride 320, receptive field 400, 13 hidden states of width 8. */
    static final class TinyTeacher implements SemanticEncoder {
        final float gain;
        int lastInputLength;

        TinyTeacher(float gain) {
            this.gain = gain;
        }

        @Override
        public int sampleRate() {
            return SR;
        }

        @Override
        public int dim() {
            return 8;
        }

        @Override
        public List<float[][]> hiddenStates(float[] x) {
            lastInputLength = x.length;
            int frames = x.length < 400 ? 0 : (x.length - 400) / 320 + 1;
            List<float[][]> layers = new ArrayList<>();
            for (int l = 0; l < 13; l++) {
                float[][] h = new float[frames][8];
                for (int j = 0; j < frames; j++) {
                    for (int d = 0; d < 8; d++) {
                        double s = 0;
                        for (int i = 0; i < 400; i++) {
                            s += x[320 * j + i] * Math.cos(Math.PI * (d + 1) * (i + 0.5) / 400 * (l + 1) / 4.0);
                        }
                        h[j][d] = (float) (gain * Math.tanh(s / 20));
                    }
                }
                layers.add(h);
            }
            return layers;
        }
    }

    static float[] speechLike(int len, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[len];
        double f0 = 120;
        for (int i = 0; i < len; i++) {
            double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * i / SR);
            x[i] = (float) (env * (0.3 * Math.sin(2 * Math.PI * f0 * i / SR) + 0.15 * Math.sin(2 * Math.PI * 3 * f0 * i / SR))
                    + 0.01 * rnd.nextGaussian());
        }
        return x;
    }

    static XCodec build(SemanticEncoder teacher, ResidualVectorQuantizer rvq) {
        return new XCodec(MDCT::encoder, MDCT::decoder, teacher, Linear.select(328, 328, 0), rvq, Linear.select(328, 320, 0),
                3200);
    }

    /** RVQ learned on fused vectors (identity fc_prior) of a training signal. */
    static ResidualVectorQuantizer learnOnFused(SemanticEncoder teacher) {
        float[] train = speechLike(SR * 4, 1);
        LatentEncoder enc = MDCT.encoder();
        List<float[]> frames = new ArrayList<>(enc.push(train, 0, train.length));
        frames.addAll(enc.finish());
        XCodec probe = build(teacher, new ResidualVectorQuantizer(List.of(new dev.prism.codecs.quant.Codebook(2, 328,
                new float[656]))));
        float[][] sem = SemanticFeatures.extract(teacher, java.util.Arrays.copyOf(train, train.length + 640));
        float[] data = new float[frames.size() * 328];
        for (int t = 0; t < frames.size(); t++) {
            System.arraycopy(probe.fuse(frames.get(t), sem[t]), 0, data, t * 328, 328);
        }
        LearningParams p = LearningParams.defaults().withKmeansIters(5);
        return new CodebookLearner(p).learnRvq(data, frames.size(), 328, 3, 32);
    }

    @Test
    void semanticFeaturesPadBy160AndAverageAllHiddenStates() {
        TinyTeacher t = new TinyTeacher(1f);
        float[] x = speechLike(3200, 2);
        float[][] f = SemanticFeatures.extract(t, x);
        assertEquals(3200 + 320, t.lastInputLength, "160 zeros on each side");
        assertEquals(10, f.length, "50 Hz frames: (3520 - 400) / 320 + 1");
        List<float[][]> constant = new ArrayList<>();
        for (int l = 0; l < 13; l++) {
            float[][] h = new float[2][3];
            for (float[] row : h) {
                java.util.Arrays.fill(row, l);
            }
            constant.add(h);
        }
        assertEquals(6f, SemanticFeatures.average(constant, 3)[1][2], 1e-6, "mean of 0..12");
    }

    @Test
    void chunkedEncodingEqualsWholeUtteranceAndDecodingUsesTheAcousticPart() {
        TinyTeacher teacher = new TinyTeacher(1f);
        XCodec codec = build(teacher, learnOnFused(teacher));
        float[] x = speechLike(SR * 2 + 123, 3);
        int[][] whole = codec.encode(x, 3);
        assertEquals(MDCT.framesFor(x.length), whole.length);
        XCodec.StreamEncoder enc = codec.newEncoder(3);
        List<int[]> chunked = new ArrayList<>();
        Random rnd = new Random(4);
        int pos = 0;
        while (pos < x.length) {
            int n = Math.min(x.length - pos, 1 + rnd.nextInt(2000));
            chunked.addAll(enc.push(x, pos, n));
            pos += n;
        }
        chunked.addAll(enc.finish());
        assertArrayEquals(whole, chunked.toArray(new int[0][]));
        int[][] one = new int[whole.length][];
        for (int t = 0; t < whole.length; t++) {
            one[t] = new int[] {whole[t][0]};
        }
        double snr1 = AudioMetrics.siSnr(x, codec.decode(one, x.length));
        double snr3 = AudioMetrics.siSnr(x, codec.decode(whole, x.length));
        assertTrue(snr3 > snr1, "3 quantizers " + snr3 + " dB must beat 1 quantizer " + snr1 + " dB");
    }

    @Test
    void codesDependOnTheSemanticBranch() {
        TinyTeacher teacher = new TinyTeacher(1f);
        ResidualVectorQuantizer rvq = learnOnFused(teacher);
        float[] x = speechLike(SR, 5);
        int[][] with = build(teacher, rvq).encode(x, 3);
        int[][] without = build(new TinyTeacher(0f), rvq).encode(x, 3);
        int differ = 0;
        for (int t = 0; t < with.length; t++) {
            if (!java.util.Arrays.equals(with[t], without[t])) {
                differ++;
            }
        }
        assertTrue(differ > 0, "skipping the semantic branch must change the codes (ALGORITHMS.md 6.4)");
    }

    @Test
    void bandwidthMapsToQuantizersAtFiftyHertzAndShapesAreChecked() {
        TinyTeacher teacher = new TinyTeacher(1f);
        List<dev.prism.codecs.quant.Codebook> books = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            books.add(new dev.prism.codecs.quant.Codebook(2, 328, new float[656]));
        }
        XCodec codec = build(teacher, new ResidualVectorQuantizer(books));
        assertEquals(50.0, codec.frameRate(), 1e-12);
        double[] bw = {0.5, 1, 1.5, 2, 4};
        int[] nq = {1, 2, 3, 4, 8};
        for (int i = 0; i < bw.length; i++) {
            assertEquals(nq[i], codec.numQuantizers(bw[i]));
        }
        assertThrows(IllegalArgumentException.class, () -> new XCodec(MDCT::encoder, MDCT::decoder, teacher,
                Linear.select(336, 328, 0), new ResidualVectorQuantizer(books), Linear.select(328, 320, 0), 0));
    }
}
