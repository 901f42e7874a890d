package dev.prism.codecs;

import dev.prism.codecs.quant.CodebookFile;
import dev.prism.codecs.quant.CodebookSet;
import dev.prism.codecs.quant.LearningParams;
import dev.prism.codecs.quant.QuantizerLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default codec's codebooks, with no committed binaries: learned deterministically at first
 * use on {@link SyntheticCorpus} (60 s, fixed seed) and cached as a codebook file. They are marked
 * demo in the file and in every .codes header, because they were not learned on real audio: train
 * your own with {@link CodebookTrainer} for real use. Eight codebooks each (RVQ 8 stages; GRVQ
 * 2 groups x 4 stages), so 1..8 codebooks can be selected. The learning uses 8 Lloyd iterations
 * instead of the spec's 50 to keep first use around half a minute; the EMA stage is as specified.
 */
public final class DemoCodebooks {
    public static final String VERSION = "v1";
    public static final int CODEBOOKS = 8;
    static final LearningParams PARAMS = LearningParams.defaults().withKmeansIters(8).withInitSample(8192)
            .withEmaEpochs(1).withSeed(20_240_601L);

    private DemoCodebooks() {
    }

    public static String id(QuantizerLayout.Kind kind) {
        return "demo-synthetic-" + VERSION + "-" + kind.name().toLowerCase();
    }

    /** Loads the cached demo codebooks of {@code kind} from {@code cacheDir}, learning them first if absent. */
    public static CodebookSet get(QuantizerLayout.Kind kind, Path cacheDir) throws IOException {
        return getOrLearn(kind, cacheDir, () -> learn(kind, 10, 30));
    }

    /** The demo learning itself: {@code clips} two-second synthetic clips, {@code 2^codeBits} entries. */
    static CodebookSet learn(QuantizerLayout.Kind kind, int codeBits, int clips) {
        return CodebookTrainer.train(SyntheticCorpus.generate(clips, 2.0, 7L), kind,
                kind == QuantizerLayout.Kind.RVQ ? 1 : 2, CODEBOOKS, codeBits, PARAMS, id(kind), true);
    }

    static synchronized CodebookSet getOrLearn(QuantizerLayout.Kind kind, Path cacheDir,
                                               java.util.function.Supplier<CodebookSet> learner) throws IOException {
        Path file = cacheDir.resolve(id(kind) + ".prcb");
        if (Files.isRegularFile(file)) {
            try {
                CodebookSet set = CodebookFile.load(file);
                if (set.id().equals(id(kind)) && set.demo()) {
                    return set;
                }
            } catch (IOException e) {
                // A damaged cache is rebuilt below rather than failing the user's encode.
            }
        }
        CodebookSet set = learner.get();
        CodebookFile.save(set, file);
        return set;
    }
}
