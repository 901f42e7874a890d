package dev.prism.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.codecs.bitstream.CodesFormatException;
import dev.prism.codecs.bitstream.CodesHeader;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.io.WavIO;
import dev.prism.codecs.quant.CodebookFile;
import dev.prism.codecs.quant.CodebookSet;
import dev.prism.codecs.quant.LearningParams;
import dev.prism.codecs.quant.QuantizerLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodecFilesTest {

    @Test
    void wavToCodesToWavWithATrainedCodebookFile(@TempDir Path dir) throws Exception {
        // A 16 kHz input exercises the resampling to the codec's 24 kHz.
        PcmAudio src = SyntheticCorpus.generate(1, 1.0, 5L).get(0);
        float[] x16 = new float[16_000];
        for (int i = 0; i < x16.length; i++) {
            x16[i] = src.samples()[i * 3 / 2];
        }
        Path wav = dir.resolve("in.wav");
        WavIO.write(new PcmAudio(x16, 16_000), wav, false);
        Path train = dir.resolve("train.wav");
        WavIO.write(SyntheticCorpus.generate(1, 3.0, 6L).get(0), train, true);
        Path cb = dir.resolve("rvq.prcb");
        LearningParams p = LearningParams.defaults().withKmeansIters(3).withInitSample(1024);
        CodebookSet set = CodebookTrainer.trainFiles(List.of(train), QuantizerLayout.Kind.RVQ, 2, p, cb);
        assertEquals(set.hash(), CodebookFile.load(cb).hash());

        Path codes = dir.resolve("out.codes");
        CodesHeader h = CodecFiles.encode(wav, codes, CodecConfig.rvq(2), cb, dir);
        assertEquals(2, h.codesPerFrame());
        Path back = dir.resolve("back.wav");
        PcmAudio decoded = CodecFiles.decode(codes, back, false, cb, dir);
        assertEquals(24_000, decoded.samples().length, "1 s at 24 kHz");
        assertEquals(24_000, WavIO.read(back).sampleRate());

        byte[] bytes = Files.readAllBytes(codes);
        Files.write(codes, Arrays.copyOf(bytes, bytes.length - 5));
        CodesFormatException e = assertThrows(CodesFormatException.class,
                () -> CodecFiles.decode(codes, back, false, cb, dir));
        assertTrue(e.getMessage().contains("out.codes") && e.getMessage().contains("byte offset"), e.getMessage());
        Files.write(codes, bytes);
        CodesFormatException noBook = assertThrows(CodesFormatException.class,
                () -> CodecFiles.decode(codes, back, false, null, dir));
        assertTrue(noBook.getMessage().contains("codebook"), noBook.getMessage());
    }
}
