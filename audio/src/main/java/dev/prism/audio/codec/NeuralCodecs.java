package dev.prism.audio.codec;

import dev.prism.codecs.AudioCodec;
import dev.prism.codecs.CodebookTrainer;
import dev.prism.codecs.CodecConfig;
import dev.prism.codecs.CodecDecoder;
import dev.prism.codecs.CodecFiles;
import dev.prism.codecs.SyntheticCorpus;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.quant.CodebookFile;
import dev.prism.codecs.quant.CodebookSet;
import dev.prism.codecs.quant.LearningParams;
import dev.prism.codecs.quant.QuantizerLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The audio codec over a neural ONNX latent: what {@code prism codec encode --latent onnx --model DIR}
 * and the codec stage's neural option call. The model directory holds {@code codec.json},
 * both ONNX exports and (optionally) codebooks learned on that latent; the .codes header records
 * the latent spec ({@code onnx:<name>:<hash>}), so decoding needs the same directory.
 */
public final class NeuralCodecs {
    /** Learning settings for the demo codebooks: a few Lloyd iterations keep generation to seconds. */
    static final LearningParams DEMO_PARAMS = LearningParams.defaults().withKmeansIters(4).withInitSample(4096)
            .withEmaEpochs(1).withSeed(7L);

    private NeuralCodecs() {
    }

    /** A codec over {@code model} with explicit codebooks (learned on this latent: dim = model.dim()). */
    public static AudioCodec create(OnnxLatentModel model, CodebookSet codebooks, CodecConfig config) {
        return AudioCodec.create(codebooks, config, model);
    }

    /** A codec over {@code model} with the codebooks its directory ships. */
    public static AudioCodec open(OnnxLatentModel model, CodecConfig config) throws IOException {
        return create(model, model.codebooks(), config);
    }

    /** A decoder for streams over this model (and over the MDCT latent), with codebooks from the resolver. */
    public static CodecDecoder decoder(OnnxLatentModel model, CodecDecoder.CodebookResolver codebooks) {
        return new CodecDecoder(codebooks, model.resolver());
    }

    /**
     * A decoder for the service: streams over {@code model} decode with the codebooks its directory
     * ships, streams over the MDCT latent with {@link CodecFiles#resolve} (demo codebooks in
     * {@code cacheDir}).
     */
    public static CodecDecoder decoder(OnnxLatentModel model, Path cacheDir) {
        return new CodecDecoder(h -> h.latentSpec().equals(model.spec()) ? model.codebooks()
                : CodecFiles.resolve(h, null, cacheDir), model.resolver());
    }

    /** Learns codebooks on the model's latent frames of {@code clips} (resampled to the model's rate). */
    public static CodebookSet train(OnnxLatentModel model, List<PcmAudio> clips, QuantizerLayout.Kind kind,
                                    int codebooks, int codeBits, LearningParams params, String id, boolean demo) {
        int groups = kind == QuantizerLayout.Kind.RVQ ? 1 : 2;
        return CodebookTrainer.train(clips, model, kind, groups, codebooks, codeBits, params, id, demo);
    }

    /**
     * Writes the demo model directory (DEMO WEIGHTS, see {@link TinyCodecNets}) with GRVQ 2 x 4 x 1024
     * codebooks learned on the seeded synthetic corpus, unless {@code dir} already holds it.
     */
    public static Path writeDemo(Path dir) throws IOException {
        if (Files.exists(dir.resolve(OnnxCodecSpec.FILE)) && Files.exists(dir.resolve("codebooks.bin"))) {
            return dir;
        }
        OnnxCodecSpec spec = TinyCodecNets.writeDemo24k(dir);
        try (OnnxLatentModel m = OnnxLatentModel.load(dir)) {
            List<PcmAudio> corpus = SyntheticCorpus.generate(12, 4.0, 11L);
            CodebookSet set = train(m, corpus, QuantizerLayout.Kind.GRVQ, 8, 10, DEMO_PARAMS,
                    "demo-" + spec.name() + "-grvq", true);
            CodebookFile.save(set, dir.resolve("codebooks.bin"));
        }
        spec.withCodebooks("codebooks.bin").write(dir);
        return dir;
    }
}
