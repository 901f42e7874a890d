package dev.prism.codecs;

import dev.prism.codecs.bitstream.CodesFormatException;
import dev.prism.codecs.bitstream.CodesHeader;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.io.Resampler;
import dev.prism.codecs.io.WavIO;
import dev.prism.codecs.quant.CodebookFile;
import dev.prism.codecs.quant.CodebookSet;
import dev.prism.codecs.quant.QuantizerLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * File-level operations behind {@code prism codec encode|decode}: WAV (any rate, any channels) to
 * .codes and back. Codebooks come from an explicit codebook file or, when none is given, from the
 * demo codebooks in {@code cacheDir}; decoding picks the demo set when the header names it.
 */
public final class CodecFiles {
    private CodecFiles() {
    }

    /** Encodes {@code wav} into {@code out}; returns the stream header written. */
    public static CodesHeader encode(Path wav, Path out, CodecConfig config, Path codebookFileOrNull, Path cacheDir)
            throws IOException {
        CodebookSet set = codebookFileOrNull != null ? CodebookFile.load(codebookFileOrNull)
                : DemoCodebooks.get(config.kind(), cacheDir);
        AudioCodec codec = AudioCodec.create(set, config);
        return encode(wav, out, codec);
    }

    /** Encodes {@code wav} (any rate, any channels) with a ready codec, e.g. one over a neural latent. */
    public static CodesHeader encode(Path wav, Path out, AudioCodec codec) throws IOException {
        PcmAudio audio = Resampler.resample(WavIO.read(wav), codec.sampleRate());
        Files.write(out, codec.encode(audio.samples()));
        return codec.header();
    }

    /** Decodes {@code codes} into a 16-bit (or float) WAV at the stream's rate (24 kHz for the MDCT latent). */
    public static PcmAudio decode(Path codes, Path wavOut, boolean float32, Path codebookFileOrNull, Path cacheDir)
            throws IOException {
        return decode(codes, wavOut, float32, new CodecDecoder(h -> resolve(h, codebookFileOrNull, cacheDir)));
    }

    /** Decodes {@code codes} with a configured decoder (e.g. one whose latent resolver knows a neural model). */
    public static PcmAudio decode(Path codes, Path wavOut, boolean float32, CodecDecoder dec) throws IOException {
        byte[] bytes = Files.readAllBytes(codes);
        PcmAudio pcm;
        try {
            pcm = dec.decodeAll(bytes);
        } catch (CodesFormatException e) {
            throw new CodesFormatException(e.offset(), codes + ": " + stripOffset(e.getMessage()), e);
        }
        WavIO.write(pcm, wavOut, float32);
        return pcm;
    }

    private static String stripOffset(String m) {
        int i = m.lastIndexOf(" (at byte offset");
        return i < 0 ? m : m.substring(0, i);
    }

    /** Codebooks for a header: the given file, else the demo set the header names. */
    public static CodebookSet resolve(CodesHeader h, Path codebookFileOrNull, Path cacheDir) throws IOException {
        if (codebookFileOrNull != null) {
            return CodebookFile.load(codebookFileOrNull);
        }
        for (QuantizerLayout.Kind k : QuantizerLayout.Kind.values()) {
            if (DemoCodebooks.id(k).equals(h.codebookId())) {
                return DemoCodebooks.get(k, cacheDir);
            }
        }
        throw new IOException("stream was encoded with codebooks '" + h.codebookId()
                + "'; pass that codebook file (--codebooks-file) to decode it");
    }
}
