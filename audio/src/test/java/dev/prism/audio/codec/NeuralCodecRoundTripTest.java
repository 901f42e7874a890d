package dev.prism.audio.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.codecs.AudioCodec;
import dev.prism.codecs.CodecConfig;
import dev.prism.codecs.CodecDecoder;
import dev.prism.codecs.CodecStreamEncoder;
import dev.prism.codecs.SyntheticCorpus;
import dev.prism.codecs.bitstream.CodesFormatException;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.quant.CodebookSet;
import dev.prism.codecs.quant.LearningParams;
import dev.prism.codecs.quant.QuantizerLayout;
import dev.prism.codecs.quant.VectorQuantizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encode -> GRVQ -> range-coded .codes -> decode through CodecStreamEncoder/CodecDecoder with the ONNX pair. */
class NeuralCodecRoundTripTest {
    @TempDir
    static Path dir;
    static OnnxLatentModel model;
    static CodebookSet grvq;

    @BeforeAll
    static void setUp() throws IOException {
        TinyCodecNets.writeDemo24k(dir.resolve("demo"));
        model = OnnxLatentModel.load(dir.resolve("demo"), 1, 5);
        List<PcmAudio> corpus = SyntheticCorpus.generate(4, 2.0, 3L);
        LearningParams p = LearningParams.defaults().withKmeansIters(3).withInitSample(1024).withEmaEpochs(1).withSeed(5L);
        grvq = NeuralCodecs.train(model, corpus, QuantizerLayout.Kind.GRVQ, 4, 6, p, "test-neural-grvq", true);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void streamedCodesDecodeToTheDecoderOutputOfTheQuantizedLatent() throws IOException {
        AudioCodec codec = NeuralCodecs.create(model, grvq, CodecConfig.grvq(4).withCodingFrames(20));
        assertEquals(24_000, codec.sampleRate());
        assertTrue(codec.header().latentSpec().startsWith("onnx:"), codec.header().latentSpec());
        float[] x = OnnxLatentTest.signal(37_777, 9);

        CodecStreamEncoder enc = codec.newEncoder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Random r = new Random(4);
        for (int pos = 0; pos < x.length; ) {
            int len = Math.min(x.length - pos, 1 + r.nextInt(3000));
            bytes.writeBytes(enc.push(x, pos, len));
            pos += len;
        }
        bytes.writeBytes(enc.finish());
        byte[] codes = bytes.toByteArray();
        assertEquals((37_777 + 319) / 320, enc.frames(), "frames = ceil(T / hop)");

        CodecDecoder dec = NeuralCodecs.decoder(model, h -> grvq);
        float[] y = new float[0];
        for (int pos = 0; pos < codes.length; pos += 700) {
            y = OnnxLatentTest.concat(y, dec.push(codes, pos, Math.min(700, codes.length - pos)));
        }
        y = OnnxLatentTest.concat(y, dec.finish());
        assertEquals(x.length, y.length, "decoded length = samples encoded");

        // Reference: one-shot encode, quantize each frame, one-shot decode.
        float[][] z = model.encodeAll(x);
        VectorQuantizer q = grvq.quantizer();
        int[] c = new int[q.numCodebooks()];
        for (float[] f : z) {
            q.encode(f, 0, c, 0);
            q.decode(c, 0, f, 0);
        }
        float[] ref = model.decodeAll(z);
        double maxDiff = 0;
        double energy = 0;
        for (int i = 0; i < y.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(y[i] - ref[i]));
            energy += y[i] * y[i];
        }
        assertTrue(energy > 1, "decoded waveform is not silent");
        assertTrue(maxDiff <= 1e-4, "stream decode differs from the quantized one-shot by " + maxDiff);
    }

    @Test
    void modelDirectoryWithCodebooksEncodesAndDecodesFiles() throws IOException {
        Path d = dir.resolve("withbooks");
        OnnxCodecSpec spec = TinyCodecNets.writeDemo24k(d);
        dev.prism.codecs.quant.CodebookFile.save(grvq, d.resolve("codebooks.bin"));
        spec.withCodebooks("codebooks.bin").write(d);
        Path wav = dir.resolve("in.wav");
        float[] x = OnnxLatentTest.signal(12_345, 2);
        dev.prism.codecs.io.WavIO.write(new PcmAudio(x, 24_000), wav, true);
        try (OnnxLatentModel m = OnnxLatentModel.load(d)) {
            AudioCodec codec = NeuralCodecs.open(m, CodecConfig.grvq(4));
            dev.prism.codecs.CodecFiles.encode(wav, dir.resolve("out.codes"), codec);
            PcmAudio back = dev.prism.codecs.CodecFiles.decode(dir.resolve("out.codes"), dir.resolve("back.wav"), true,
                    NeuralCodecs.decoder(m, dir.resolve("cache")));
            assertEquals(x.length, back.samples().length);
            assertEquals(24_000, back.sampleRate());
            float[] direct = codec.decode(codec.encode(x)).samples();
            for (int i = 0; i < x.length; i++) {
                assertEquals(direct[i], back.samples()[i], 1e-6);
            }
        }
    }

    @Test
    void anotherNetworkRefusesTheStream() throws IOException {
        AudioCodec codec = NeuralCodecs.create(model, grvq, CodecConfig.grvq(4));
        byte[] codes = codec.encode(OnnxLatentTest.signal(8_000, 1));
        TinyCodecNets.write(dir.resolve("other"), "tiny-encodec-demo-24k", 24_000, new int[] {2, 4, 5, 8}, 8, 64, 99L);
        try (OnnxLatentModel other = OnnxLatentModel.load(dir.resolve("other"))) {
            CodesFormatException e = assertThrows(CodesFormatException.class,
                    () -> NeuralCodecs.decoder(other, h -> grvq).decodeAll(codes));
            assertEquals(0, e.offset());
            assertTrue(e.getMessage().contains("load the model directory used for encoding"), e.getMessage());
        }
        // The MDCT-only default decoder names the problem as well.
        CodesFormatException e = assertThrows(CodesFormatException.class,
                () -> new CodecDecoder(h -> grvq).decodeAll(codes));
        assertTrue(e.getMessage().contains("not an MDCT latent"), e.getMessage());
    }

    @Test
    void codebooksOfTheWrongDimAreRefused() {
        CodebookSet wrong = grvq;
        OnnxLatentModel m = model;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AudioCodec.create(wrong, CodecConfig.grvq(4)));   // MDCT latent: dim 320
        assertTrue(e.getMessage().contains("learn codebooks on this latent"), e.getMessage());
        assertEquals(64, m.dim());
        assertEquals(Arrays.asList(64, 64), List.of(wrong.quantizer().dim(), m.dim()));
    }
}
