package dev.prism.codecs;

import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.io.Resampler;
import dev.prism.codecs.io.WavIO;
import dev.prism.codecs.latent.LatentEncoder;
import dev.prism.codecs.latent.LatentModel;
import dev.prism.codecs.latent.MdctLatent;
import dev.prism.codecs.quant.CodebookFile;
import dev.prism.codecs.quant.CodebookLearner;
import dev.prism.codecs.quant.CodebookSet;
import dev.prism.codecs.quant.LearningParams;
import dev.prism.codecs.quant.QuantizerLayout;
import dev.prism.codecs.quant.VectorQuantizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Learns codebooks for {@link AudioCodec} on the user's own audio ({@code prism codec train}):
 * audio resampled to 24 kHz, MDCT latent frames, then k-means++ / Lloyd / EMA learning
 * (ALGORITHMS.md 5.4) of an RVQ or GRVQ, and the training code usage recorded as the range
 * coder's prior.
 */
public final class CodebookTrainer {
    private CodebookTrainer() {
    }

    /** Latent frames of all clips, row-major {@code [frames][dim]}. */
    public static float[] latentFrames(List<PcmAudio> clips, LatentModel latent) {
        List<float[]> frames = new ArrayList<>();
        for (PcmAudio clip : clips) {
            PcmAudio a = Resampler.resample(clip, latent.sampleRate());
            LatentEncoder enc = latent.encoder();
            frames.addAll(enc.push(a.samples(), 0, a.samples().length));
            frames.addAll(enc.finish());
        }
        int dim = latent.dim();
        float[] out = new float[frames.size() * dim];
        for (int i = 0; i < frames.size(); i++) {
            System.arraycopy(frames.get(i), 0, out, i * dim, dim);
        }
        return out;
    }

    /**
     * @param kind      RVQ or GRVQ
     * @param groups    GRVQ groups (1 for RVQ)
     * @param codebooks total codebooks (groups x stages); encode with this many or fewer
     * @param codeBits  log2 of the codebook size (10 for 1024 entries)
     */
    public static CodebookSet train(List<PcmAudio> clips, QuantizerLayout.Kind kind, int groups, int codebooks,
                                    int codeBits, LearningParams params, String id, boolean demo) {
        return train(clips, MdctLatent.default24k(), kind, groups, codebooks, codeBits, params, id, demo);
    }

    /** The same on any latent (a neural encoder's frames): codebook dim = the latent's frame dim. */
    public static CodebookSet train(List<PcmAudio> clips, LatentModel latent, QuantizerLayout.Kind kind, int groups,
                                    int codebooks, int codeBits, LearningParams params, String id, boolean demo) {
        float[] data = latentFrames(clips, latent);
        int dim = latent.dim();
        int n = data.length / dim;
        if (n < 1) {
            throw new IllegalArgumentException("no audio to train on");
        }
        if (codebooks % groups != 0) {
            throw new IllegalArgumentException(codebooks + " codebooks do not split into " + groups + " groups");
        }
        CodebookLearner learner = new CodebookLearner(params);
        int size = 1 << codeBits;
        VectorQuantizer q = kind == QuantizerLayout.Kind.RVQ
                ? learner.learnRvq(data, n, dim, codebooks, size)
                : learner.learnGrvq(data, n, dim, groups, codebooks / groups, size);
        return new CodebookSet(id, demo, q, usage(q, data, n));
    }

    /** Code histograms of the training frames: the range coder's starting models. */
    static long[][] usage(VectorQuantizer q, float[] data, int n) {
        int nc = q.numCodebooks();
        long[][] u = new long[nc][q.layout().codebookSize()];
        int[] codes = new int[nc];
        for (int i = 0; i < n; i++) {
            q.encode(data, i * q.dim(), codes, 0);
            for (int k = 0; k < nc; k++) {
                u[k][codes[k]]++;
            }
        }
        return u;
    }

    /** Trains on WAV files and writes the codebook file; returns what was written. */
    public static CodebookSet trainFiles(List<Path> wavs, QuantizerLayout.Kind kind, int codebooks, LearningParams params,
                                         Path out) throws IOException {
        List<PcmAudio> clips = new ArrayList<>();
        for (Path p : wavs) {
            clips.add(WavIO.read(p));
        }
        String id = "trained-" + kind.name().toLowerCase() + "-" + codebooks + "x1024-" + out.getFileName();
        CodebookSet set = train(clips, kind, kind == QuantizerLayout.Kind.RVQ ? 1 : 2, codebooks, 10, params, id, false);
        CodebookFile.save(set, out);
        return set;
    }
}
