package dev.prism.codecs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.codecs.bitstream.CodesFormatException;
import dev.prism.codecs.bitstream.CodesHeader;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.metrics.AudioMetrics;
import dev.prism.codecs.quant.CodebookSet;
import dev.prism.codecs.quant.LearningParams;
import dev.prism.codecs.quant.QuantizerLayout;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AudioCodecTest {
    static CodebookSet grvq;
    static CodebookSet rvq;
    static float[] clip;

    @BeforeAll
    static void learnSmallCodebooks() {
        List<PcmAudio> train = SyntheticCorpus.generate(6, 1.0, 11L);
        LearningParams p = LearningParams.defaults().withKmeansIters(4).withInitSample(2048);
        // 64-entry codebooks keep the test fast; the layout rules are the same as for 1024.
        grvq = CodebookTrainer.train(train, QuantizerLayout.Kind.GRVQ, 2, 4, 6, p, "test-grvq", true);
        rvq = CodebookTrainer.train(train, QuantizerLayout.Kind.RVQ, 1, 4, 6, p, "test-rvq", true);
        clip = SyntheticCorpus.generate(1, 1.3, 99L).get(0).samples();
    }

    static byte[] encodeInChunks(AudioCodec codec, float[] pcm, long seed) {
        CodecStreamEncoder enc = codec.newEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Random rnd = new Random(seed);
        int pos = 0;
        while (pos < pcm.length) {
            int n = Math.min(pcm.length - pos, 1 + rnd.nextInt(4000));
            out.writeBytes(enc.push(pcm, pos, n));
            pos += n;
        }
        out.writeBytes(enc.finish());
        return out.toByteArray();
    }

    @Test
    void encoderThreadsNeverChangeTheBytes() {
        float[] longer = SyntheticCorpus.generate(1, 4.0, 5L).get(0).samples();
        for (CodebookSet set : List.of(grvq, rvq)) {
            CodecConfig base = set == grvq ? CodecConfig.grvq(4) : CodecConfig.rvq(4);
            byte[] single = AudioCodec.create(set, base.withEncodeThreads(1)).encode(longer);
            for (int threads : new int[] {2, 3, 7}) {
                AudioCodec codec = AudioCodec.create(set, base.withEncodeThreads(threads));
                assertArrayEquals(single, codec.encode(longer), threads + " threads, whole signal");
                assertArrayEquals(single, encodeInChunks(codec, longer, threads), threads + " threads, chunked");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> CodecConfig.defaults().withEncodeThreads(0));
        assertTrue(CodecConfig.defaults().encodeThreads() >= 1);
    }

    @Test
    void streamingEncodeAndDecodeMatchWholeSignalBitForBit() throws CodesFormatException {
        AudioCodec codec = AudioCodec.create(grvq, CodecConfig.grvq(4).withCodingFrames(20));
        byte[] whole = codec.encode(clip);
        byte[] chunked = encodeInChunks(codec, clip, 1);
        assertArrayEquals(whole, chunked, "chunking must not change the bitstream");
        PcmAudio full = codec.decode(whole);
        assertEquals(clip.length, full.samples().length, "decoded length equals encoded length");
        assertEquals(24_000, full.sampleRate());
        CodecDecoder dec = codec.newDecoder();
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        float[] streamed = new float[0];
        for (int off = 0; off < whole.length; off += 37) {
            streamed = cat(streamed, dec.push(whole, off, Math.min(37, whole.length - off)));
        }
        streamed = cat(streamed, dec.finish());
        assertArrayEquals(full.samples(), streamed, "streamed decode equals whole decode");
    }

    static float[] cat(float[] a, float[] b) {
        float[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    @Test
    void moreCodebooksGiveHigherSiSnrAndMoreBits() throws CodesFormatException {
        double prev = Double.NEGATIVE_INFINITY;
        int prevBytes = 0;
        for (int n = 1; n <= 4; n++) {
            AudioCodec codec = AudioCodec.create(rvq, CodecConfig.rvq(n));
            byte[] bytes = codec.encode(clip);
            double snr = AudioMetrics.siSnr(clip, codec.decode(bytes).samples());
            assertTrue(snr > prev, n + " codebooks: " + snr + " dB vs " + prev);
            assertTrue(bytes.length > prevBytes);
            prev = snr;
            prevBytes = bytes.length;
        }
    }

    @Test
    void fixedAndRangeCodedStreamsDecodeToTheSameWaveform() throws CodesFormatException {
        AudioCodec ranged = AudioCodec.create(grvq, CodecConfig.grvq(4));
        AudioCodec fixed = AudioCodec.create(grvq, CodecConfig.grvq(4).withCoding(CodesHeader.Coding.FIXED));
        byte[] r = ranged.encode(clip);
        byte[] f = fixed.encode(clip);
        assertArrayEquals(ranged.decode(r).samples(), fixed.decode(f).samples());
        assertTrue(r.length < f.length, "range " + r.length + " vs fixed " + f.length);
    }

    @Test
    void firstRangeFormatStillDecodesAndV2ModelsAdaptWithinAPacket() throws CodesFormatException {
        // A stream whose codes the training prior did not expect: the v2 models' small prior mass and
        // large step learn its statistics within the packet; the first format's prior dominates.
        AudioCodec v2 = AudioCodec.create(grvq, CodecConfig.grvq(4).withCodingFrames(300)
                .withCoding(CodesHeader.Coding.RANGE_V2));
        AudioCodec v1 = AudioCodec.create(grvq, CodecConfig.grvq(4).withCodingFrames(300)
                .withCoding(CodesHeader.Coding.RANGE));
        assertEquals(CodesHeader.Coding.RANGE_V3, CodecConfig.defaults().coding());
        float[] tone = new float[24_000 * 3];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 330 * i / 24_000.0));
        }
        byte[] a = v2.encode(tone);
        byte[] b = v1.encode(tone);
        assertArrayEquals(v1.decode(b).samples(), v2.decode(a).samples(), "same codes whatever the models");
        assertTrue(a.length < b.length, "v2 " + a.length + " bytes vs v1 " + b.length);
        // RANGE_V3 can pick the v2 models per code position, and a weaker prior where the tone wants one.
        AudioCodec v3 = AudioCodec.create(grvq, CodecConfig.grvq(4).withCodingFrames(300));
        byte[] c = v3.encode(tone);
        assertArrayEquals(v2.decode(a).samples(), v3.decode(c).samples(), "same codes");
        assertTrue(c.length < a.length, "v3 " + c.length + " bytes vs v2 " + a.length);
    }

    @Test
    void wrongCodebooksTruncationAndTamperingGiveClearErrors() {
        AudioCodec codec = AudioCodec.create(grvq, CodecConfig.grvq(4));
        byte[] bytes = codec.encode(clip);
        AudioCodec other = AudioCodec.create(grvq.withStages(1), CodecConfig.grvq(2));
        CodesFormatException wrong = assertThrows(CodesFormatException.class, () -> other.decode(bytes));
        assertTrue(wrong.getMessage().contains("codebooks"), wrong.getMessage());
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 30);
        CodesFormatException trunc = assertThrows(CodesFormatException.class, () -> codec.decode(cut));
        assertTrue(trunc.getMessage().contains("truncated"), trunc.getMessage());
        assertTrue(trunc.offset() <= cut.length);
        byte[] tampered = bytes.clone();
        tampered[bytes.length / 2] ^= 0x40;
        CodesFormatException crc = assertThrows(CodesFormatException.class, () -> codec.decode(tampered));
        assertTrue(crc.getMessage().contains("CRC") && crc.getMessage().contains("byte offset"), crc.getMessage());
    }

    @Test
    void randomCorruptionAlwaysEndsInACodesFormatExceptionNeverAnotherFailure() {
        AudioCodec codec = AudioCodec.create(grvq, CodecConfig.grvq(4).withCodingFrames(10));
        byte[] bytes = codec.encode(clip);
        Random rnd = new Random(12);
        for (int trial = 0; trial < 300; trial++) {
            byte[] bad = bytes.clone();
            int flips = 1 + rnd.nextInt(3);
            for (int f = 0; f < flips; f++) {
                bad[rnd.nextInt(bad.length)] ^= (byte) (1 + rnd.nextInt(255));
            }
            if (trial % 3 == 0) {
                bad = Arrays.copyOf(bad, rnd.nextInt(bad.length));
            }
            final byte[] input = bad;
            CodesFormatException e = assertThrows(CodesFormatException.class, () -> codec.decode(input), "trial " + trial);
            assertTrue(e.offset() >= 0 && e.offset() <= input.length, e.getMessage());
        }
    }

    @Test
    void kbpsSelectsCodebooksByTheEncodecRule() {
        assertEquals(4, CodecConfig.rvq(8).withKbps(3.0, 75).codebooks());
        assertEquals(8, CodecConfig.rvq(8).withKbps(6.0, 75).codebooks());
        assertEquals(2, CodecConfig.grvq(8).withKbps(1.5, 75).codebooks());
        assertEquals(2, CodecConfig.grvq(8).withKbps(0.5, 75).codebooks(), "GRVQ keeps at least one stage of both groups");
        assertThrows(IllegalArgumentException.class, () -> AudioCodec.create(grvq, CodecConfig.grvq(6)));
    }
}
