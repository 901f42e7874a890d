package dev.prism.llm.whisper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.llm.checkpoint.Checkpoint;
import dev.prism.llm.checkpoint.TextTokenizer;
import dev.prism.llm.reference.RefWhisper;
import dev.prism.llm.runtime.RuntimeOptions;
import dev.prism.llm.testing.TinyWhisper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cached decoder pass: same tokens as recomputing the prefix, and cross-attention scores equal to the reference. */
class WhisperDecoderTest {
    @TempDir
    Path tmp;

    private static float[] mel(int n, long seed) {
        float[] mel = new float[n];
        Random r = new Random(seed);
        for (int i = 0; i < mel.length; i++) {
            mel[i] = (float) r.nextGaussian();
        }
        return mel;
    }

    @Test
    void cachedGreedyEqualsRecomputingThePrefixEveryStep() throws Exception {
        Path dir = TinyWhisper.write(tmp.resolve("w"), 23);
        try (WhisperModel m = WhisperModel.load(dir, RuntimeOptions.threads(1))) {
            float[] enc = m.encode(mel(8 * 24, 5), 24);
            long[] start = {1, 40, 41};
            long[] cached = m.greedy(enc, start, 12);
            long[] seq = start;
            long[] uncached = new long[0];
            for (int step = 0; step < 12; step++) {
                // a fresh pass over the whole prefix: no cache carried between steps
                long tok = WhisperModel.argmax(m.decoder(enc).feed(seq, false).last());
                if (tok == m.spec().eos()) {
                    break;
                }
                uncached = Arrays.copyOf(uncached, uncached.length + 1);
                uncached[uncached.length - 1] = tok;
                seq = Arrays.copyOf(seq, seq.length + 1);
                seq[seq.length - 1] = tok;
            }
            assertTrue(cached.length > 0, "the tiny model emits tokens before EOS");
            assertArrayEquals(uncached, cached);
        }
    }

    @Test
    void crossAttentionScoresAndAllRowLogitsMatchTheReference() throws Exception {
        Path dir = TinyWhisper.write(tmp.resolve("w"), 29);
        int frames = 20;
        try (WhisperModel m = WhisperModel.load(dir, RuntimeOptions.threads(1)); Checkpoint c = Checkpoint.open(dir)) {
            Map<String, float[]> memo = new HashMap<>();
            Function<String, float[]> w = n -> memo.computeIfAbsent(n, k -> c.weights().get(k).toFloatArray());
            float[] enc = m.encode(mel(8 * frames, 9), frames);
            long[] seq = {1, 30, 31, 45, 50, 60};
            WhisperModel.Decoder dec = m.decoder(enc);
            // prompt first, then the rest through the cache: rows of the second feed see the cached prefix
            dec.feed(Arrays.copyOf(seq, 2), false);
            WhisperModel.Step step = dec.feed(Arrays.copyOfRange(seq, 2, seq.length), true);
            assertEquals(6, dec.length());
            int h = m.spec().decoderHeads();
            int s = frames / 2;
            int rows = seq.length - 2;
            float[] refEnc = RefWhisper.encode(m.spec(), w, mel(8 * frames, 9), frames);
            List<float[]> ref = RefWhisper.crossScores(m.spec(), w, refEnc, seq);
            assertEquals(m.spec().decoderLayers(), step.crossQk().size());
            double max = 0;
            for (int l = 0; l < ref.size(); l++) {
                float[] got = step.crossQk().get(l);
                assertEquals(h * rows * s, got.length, "cross_qk is [heads, fed tokens, frames]");
                for (int head = 0; head < h; head++) {
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < s; j++) {
                            float want = ref.get(l)[(head * seq.length + i + 2) * s + j];
                            max = Math.max(max, Math.abs(want - got[(head * rows + i) * s + j]));
                        }
                    }
                }
            }
            assertTrue(max <= 1e-4, "cross-attention scores max abs error " + max);
            double maxLogit = 0;
            for (int i = 0; i < rows; i++) {
                float[] want = RefWhisper.logits(m.spec(), w, refEnc, Arrays.copyOf(seq, i + 3));
                float[] got = step.row(i);
                for (int v = 0; v < want.length; v++) {
                    maxLogit = Math.max(maxLogit, Math.abs(want[v] - got[v]));
                }
            }
            assertTrue(maxLogit <= 1e-4, "per-row logits max abs error " + maxLogit);
            assertThrows(IllegalArgumentException.class, () -> dec.feed(new long[30], false), "past max_target_positions");
        }
    }

    @Test
    void recognizerCheckpointHasWhispersWindowAndByteLevelPieces() throws Exception {
        Path dir = TinyWhisper.writeRecognizer(tmp.resolve("r"), 3, true);
        try (Checkpoint c = Checkpoint.open(dir)) {
            WhisperSpec s = WhisperSpec.from(c.config());
            assertEquals(80, s.mels());
            assertEquals(1500, s.maxSource(), "3000 mel frames = 30 s, as Whisper");
            TextTokenizer t = c.tokenizer();
            long[] ids = t.encode(" the cat", false);
            assertEquals(2, ids.length, "byte-level pieces: " + Arrays.toString(ids));
            assertEquals(" the", t.decode(new long[] {ids[0]}), "a piece keeps its leading space");
            assertEquals(" the cat", t.decode(ids));
            long sot = t.tokenId("<|startoftranscript|>");
            assertEquals(s.decoderStart(), sot);
            assertEquals(sot + 1, t.tokenId("<|en|>"));
            assertEquals(s.vocab() - 1501, t.tokenId("<|0.00|>"));
            assertEquals(s.vocab() - 1, t.tokenId("<|30.00|>"));
        }
    }
}
