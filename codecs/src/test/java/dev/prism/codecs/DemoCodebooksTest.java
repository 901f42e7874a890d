package dev.prism.codecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.codecs.quant.CodebookSet;
import dev.prism.codecs.quant.QuantizerLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCodebooksTest {

    @Test
    void demoLearningIsDeterministicCachedAndLabelledInTheHeader(@TempDir Path dir) throws Exception {
        // Small codebooks (32 entries, 2 clips) exercise the same deterministic path as the real demo set.
        CodebookSet a = DemoCodebooks.learn(QuantizerLayout.Kind.GRVQ, 5, 2);
        CodebookSet b = DemoCodebooks.learn(QuantizerLayout.Kind.GRVQ, 5, 2);
        assertEquals(a.hash(), b.hash(), "same seed, same codebooks");
        CodebookSet first = DemoCodebooks.getOrLearn(QuantizerLayout.Kind.GRVQ, dir, () -> a);
        assertTrue(Files.exists(dir.resolve(DemoCodebooks.id(QuantizerLayout.Kind.GRVQ) + ".prcb")));
        CodebookSet cached = DemoCodebooks.getOrLearn(QuantizerLayout.Kind.GRVQ, dir, () -> {
            throw new AssertionError("must load from the cache, not learn again");
        });
        assertEquals(first.hash(), cached.hash());
        AudioCodec codec = AudioCodec.create(cached, CodecConfig.grvq(8));
        assertTrue(codec.header().demoCodebook(), "demo codebooks are labelled in every .codes header");
        assertEquals("demo-synthetic-v1-grvq", codec.header().codebookId());
        assertEquals(8, codec.header().codesPerFrame());
    }

    @Test
    void syntheticCorpusIsDeterministicAndNotSilent() {
        float[] x = SyntheticCorpus.generate(1, 1.0, 3L).get(0).samples();
        float[] y = SyntheticCorpus.generate(1, 1.0, 3L).get(0).samples();
        assertEquals(24_000, x.length);
        double e = 0;
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], 0f);
            e += x[i] * x[i];
        }
        assertTrue(e > 1e-3);
    }
}
