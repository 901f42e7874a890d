package dev.prism.deploy.cli;

import dev.prism.audio.codec.NeuralCodecs;
import dev.prism.audio.codec.OnnxLatentModel;
import dev.prism.codecs.AudioCodec;
import dev.prism.codecs.CodebookTrainer;
import dev.prism.codecs.CodecDecoder;
import dev.prism.codecs.CodecConfig;
import dev.prism.codecs.CodecFiles;
import dev.prism.codecs.bitstream.CodesFormatException;
import dev.prism.codecs.bitstream.CodesHeader;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.quant.CodebookFile;
import dev.prism.codecs.quant.CodebookSet;
import dev.prism.codecs.quant.LearningParams;
import dev.prism.codecs.quant.QuantizerLayout;
import dev.prism.deploy.config.PrismConfig;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prism codec encode|decode|train}: the neural audio codec on files. */
@Dependent
@Unremovable
@Command(name = "codec", description = "Encode WAV to .codes, decode .codes to WAV, or learn codebooks on your audio.",
        subcommands = {CodecCommand.Encode.class, CodecCommand.Decode.class, CodecCommand.Train.class})
public class CodecCommand implements Runnable {

    @Override
    public void run() {
        System.err.println("prism codec: choose a subcommand: encode, decode or train (see --help)");
    }

    static Path cache(PrismConfig config) {
        return Path.of(config.dataDir()).resolve("cache").resolve("codec");
    }

    /** 'demo' is the generated demo pair (written once into the cache); anything else a codec directory. */
    static Path modelDir(String model, PrismConfig config) throws IOException {
        return model.equals("demo") ? NeuralCodecs.writeDemo(cache(config).resolve("onnx-demo")) : Path.of(model);
    }

    @Dependent
@Unremovable
    @Command(name = "encode", description = "WAV (any rate/channels) -> .codes")
    public static class Encode implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IN.wav") Path in;
        @Parameters(index = "1", paramLabel = "OUT.codes") Path out;
        @Option(names = "--quantizer", defaultValue = "grvq", description = "grvq or rvq (default ${DEFAULT-VALUE})") String quantizer;
        @Option(names = "--codebooks", description = "number of codebooks (default 4)") Integer codebooks;
        @Option(names = "--kbps", description = "target bitrate; picks the codebook count by EnCodec's rule") Double kbps;
        @Option(names = "--codebook-file", description = "codebooks from 'prism codec train' (default: the demo codebooks)") Path codebookFile;
        @Option(names = "--model", description = "neural codec directory (codec.json + encoder/decoder ONNX exports; 'demo' "
                + "writes the generated demo pair); default: the analytic MDCT latent") String model;
        @Option(names = "--threads", description = "quantizer threads (default: the cores, at most 8); the bytes "
                + "do not depend on it") Integer threads;
        @Option(names = "--packet-frames", description = "code frames per packet, the unit a stream can be cut at "
                + "and the span of a two-pass table (default 150 = 2 s at the analytic latent's 75 frames/s)")
        Integer packetFrames;
        @Inject PrismConfig config;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(in)) {
                System.err.println("prism codec encode: '" + in + "' is not a readable file: give a WAV file");
                return 2;
            }
            CodecConfig c = quantizer.equalsIgnoreCase("rvq") ? CodecConfig.rvq(codebooks == null ? 4 : codebooks)
                    : CodecConfig.grvq(codebooks == null ? 4 : codebooks);
            if (kbps != null) c = c.withKbps(kbps, 50);
            if (threads != null) {
                if (threads < 1 || threads > 64) {
                    System.err.println("prism codec encode: --threads " + threads + " is out of range: give 1 to 64");
                    return 2;
                }
                c = c.withEncodeThreads(threads);
            }
            if (packetFrames != null) {
                if (packetFrames < 1 || packetFrames > 65535) {
                    System.err.println("prism codec encode: --packet-frames " + packetFrames
                            + " is out of range: give 1 to 65535");
                    return 2;
                }
                c = c.withCodingFrames(packetFrames);
            }
            long t0 = System.nanoTime();
            CodesHeader h;
            if (model != null) {
                try (OnnxLatentModel m = OnnxLatentModel.load(modelDir(model, config))) {
                    AudioCodec codec = codebookFile != null ? NeuralCodecs.create(m, CodebookFile.load(codebookFile), c)
                            : NeuralCodecs.open(m, c);
                    h = CodecFiles.encode(in, out, codec);
                }
            } else {
                h = CodecFiles.encode(in, out, c, codebookFile, cache(config));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%s -> %s: %s, %d codebooks, %d bytes%s (%.2f s)%n", in, out, c.kind().name().toLowerCase(),
                    c.codebooks(), Files.size(out), h.demoCodebook() ? ", demo codebooks" : "", secs);
            return 0;
        }
    }

    @Dependent
@Unremovable
    @Command(name = "decode", description = ".codes -> WAV at 24 kHz")
    public static class Decode implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IN.codes") Path in;
        @Parameters(index = "1", paramLabel = "OUT.wav") Path out;
        @Option(names = "--codebook-file") Path codebookFile;
        @Option(names = "--float", description = "write 32-bit float WAV") boolean float32;
        @Option(names = "--model", description = "neural codec directory the stream was made with ('demo': the generated pair)") String model;
        @Inject PrismConfig config;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(in)) {
                System.err.println("prism codec decode: '" + in + "' is not a readable file: give a .codes file");
                return 2;
            }
            try {
                PcmAudio pcm;
                if (model != null) {
                    try (OnnxLatentModel m = OnnxLatentModel.load(modelDir(model, config))) {
                        CodecDecoder dec = codebookFile != null
                                ? NeuralCodecs.decoder(m, h -> CodebookFile.load(codebookFile)) : NeuralCodecs.decoder(m, cache(config));
                        pcm = CodecFiles.decode(in, out, float32, dec);
                    }
                } else {
                    pcm = CodecFiles.decode(in, out, float32, codebookFile, cache(config));
                }
                System.out.printf("%s -> %s: %.2f s at %d Hz%n", in, out, pcm.samples().length / (double) pcm.sampleRate(), pcm.sampleRate());
                return 0;
            } catch (CodesFormatException e) {
                System.err.println("prism codec decode: " + e.getMessage());
                return 1;
            }
        }
    }

    @Dependent
@Unremovable
    @Command(name = "train", description = "Learn codebooks (k-means++ then EMA) on WAV files")
    public static class Train implements Callable<Integer> {
        @Parameters(paramLabel = "WAV", arity = "1..*") List<Path> wavs;
        @Option(names = "--out", required = true, description = "codebook file to write") Path out;
        @Option(names = "--quantizer", defaultValue = "grvq") String quantizer;
        @Option(names = "--codebooks", defaultValue = "4") int codebooks;

        @Override
        public Integer call() throws Exception {
            for (Path p : wavs) {
                if (!Files.isRegularFile(p)) {
                    System.err.println("prism codec train: '" + p + "' is not a readable file");
                    return 2;
                }
            }
            QuantizerLayout.Kind kind = quantizer.equalsIgnoreCase("rvq") ? QuantizerLayout.Kind.RVQ : QuantizerLayout.Kind.GRVQ;
            long t0 = System.nanoTime();
            CodebookSet set = CodebookTrainer.trainFiles(wavs, kind, codebooks, LearningParams.defaults(), out);
            System.out.printf("learned %s (%d codebooks) on %d files in %.1f s -> %s%n", set.id(), codebooks, wavs.size(),
                    (System.nanoTime() - t0) / 1e9, out);
            return 0;
        }
    }
}
