package dev.prism.llm.whisper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.llm.checkpoint.Checkpoint;
import dev.prism.llm.reference.RefWhisper;
import dev.prism.llm.runtime.RuntimeOptions;
import dev.prism.llm.testing.TinyCheckpoints;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Whisper-style encoder-decoder built with the same graph builder, against the loop reference. */
class WhisperParityTest {
    @TempDir
    Path tmp;

    @Test
    void encoderOutputAndGreedyTokensMatchTheReference() throws Exception {
        Path dir = dev.prism.llm.testing.TinyWhisper.write(tmp.resolve("w"), 17);
        int frames = 20;
        float[] mel = new float[8 * frames];
        Random r = new Random(4);
        for (int i = 0; i < mel.length; i++) {
            mel[i] = (float) r.nextGaussian();
        }
        try (WhisperModel m = WhisperModel.load(dir, RuntimeOptions.threads(1)); Checkpoint c = Checkpoint.open(dir)) {
            assertTrue(m.isDemo());
            Map<String, float[]> memo = new HashMap<>();
            Function<String, float[]> w = n -> memo.computeIfAbsent(n, k -> c.weights().get(k).toFloatArray());
            float[] enc = m.encode(mel, frames);
            float[] ref = RefWhisper.encode(m.spec(), w, mel, frames);
            assertEquals(ref.length, enc.length);
            assertEquals(10 * 16, enc.length, "conv2 halves 20 frames to 10 positions");
            double max = 0;
            for (int i = 0; i < ref.length; i++) {
                max = Math.max(max, Math.abs(ref[i] - enc[i]));
            }
            assertTrue(max <= 1e-4, "encoder max abs error " + max);
            long[] start = {1, 30};
            long[] got = m.greedy(enc, start, 8);
            long[] seq = start;
            for (long tok : got) {
                float[] logits = RefWhisper.logits(m.spec(), w, ref, seq);
                assertEquals(WhisperModel.argmax(logits), tok, "after " + Arrays.toString(seq));
                seq = Arrays.copyOf(seq, seq.length + 1);
                seq[seq.length - 1] = tok;
            }
            if (got.length < 8) {
                assertEquals(m.spec().eos(), WhisperModel.argmax(RefWhisper.logits(m.spec(), w, ref, seq)), "stopped at EOS");
            }
            assertThrows(IllegalArgumentException.class, () -> m.encode(new float[5], frames));
        }
    }
}
