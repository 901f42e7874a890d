package dev.prism.llm.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.llm.testing.TinyCheckpoints;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointReadingTest {
    @TempDir
    Path tmp;

    @Test
    void float32TensorsAreMappedSlicesOfTheFileNotCopies() throws Exception {
        float[] vals = {1.5f, -2f, 3.25f, 0f, 1e-3f, 7f};
        new SafetensorsWriter().put("w", DType.F32, new long[] {2, 3}, vals).write(tmp.resolve("m.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(tmp.resolve("m.safetensors"))) {
            Tensor t = f.tensor("w");
            assertTrue(t.data() instanceof MappedByteBuffer, "tensor data must be a mapping of the file");
            assertTrue(t.toFloat32Direct().isDirect());
            assertArrayEquals(new long[] {2, 3}, t.shape());
            assertArrayEquals(vals, t.toFloatArray());
        }
    }

    @Test
    void halfAndBfloat16AreConvertedToFloat32WithinTheirPrecision() throws Exception {
        float[] vals = {1f, -0.333f, 65504f, 6.1e-5f, 3e-7f, 0f, -1234.5f};
        new SafetensorsWriter().put("h", DType.F16, new long[] {7}, vals).put("b", DType.BF16, new long[] {7}, vals)
                .write(tmp.resolve("m.safetensors"));
        try (SafetensorsFile f = SafetensorsFile.open(tmp.resolve("m.safetensors"))) {
            float[] h = f.tensor("h").toFloatArray();
            float[] b = f.tensor("b").toFloatArray();
            for (int i = 0; i < vals.length; i++) {
                assertEquals(vals[i], h[i], Math.max(Math.abs(vals[i]) * 1e-3, 6e-8), "f16 " + vals[i]);
                assertEquals(vals[i], b[i], Math.abs(vals[i]) * 8e-3, "bf16 " + vals[i]);
            }
        }
        assertEquals(1f, HalfFloats.halfToFloat((short) 0x3c00));
        assertEquals(-2f, HalfFloats.halfToFloat((short) 0xc000));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.halfToFloat((short) 0x7c00));
        assertEquals((short) 0x3c00, HalfFloats.floatToHalf(1f));
    }

    @Test
    void shardedCheckpointResolvesEveryTensorThroughTheIndex() throws Exception {
        Path dir = TinyCheckpoints.writeDecoder(tmp.resolve("lm"), TinyCheckpoints.DecoderDims.tiny("llama"), 7, DType.F32, 20_000);
        assertTrue(Files.exists(dir.resolve("model.safetensors.index.json")));
        assertTrue(Files.exists(dir.resolve("model-00002.safetensors")));
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertTrue(c.isDemo());
            assertEquals(List.of(2), c.generationConfig().eosTokenIds());
            assertEquals(2 * 9 + 3, c.weights().names().size());
            assertArrayEquals(new long[] {128, 32}, c.weights().get("lm_head.weight").shape());
            assertArrayEquals(new long[] {32, 32}, c.weights().get("model.layers.1.self_attn.q_proj.weight").shape());
        }
    }

    @Test
    void tokenizerJsonLoadsThroughDjlAndRoundTrips() throws Exception {
        Path dir = TinyCheckpoints.writeDecoder(tmp.resolve("lm"), TinyCheckpoints.DecoderDims.tiny("qwen2"), 7, DType.F32, Long.MAX_VALUE);
        try (Checkpoint c = Checkpoint.open(dir)) {
            TextTokenizer t = c.tokenizer();
            long[] ids = t.encode("the cat is on the tree", false);
            assertEquals(6, ids.length);
            assertEquals(ids[0], ids[4]);
            assertEquals("the cat is on the tree", t.decode(ids));
            assertEquals(3, t.tokenId("<image>"));
            assertEquals(2, t.tokenId("</s>"));
        }
    }

    @Test
    void truncatedOrForeignFilesFailWithAMessageNamingTheFile() throws Exception {
        new SafetensorsWriter().put("w", DType.F32, new long[] {64}, new float[64]).write(tmp.resolve("a.safetensors"));
        byte[] all = Files.readAllBytes(tmp.resolve("a.safetensors"));
        Files.write(tmp.resolve("cut.safetensors"), java.util.Arrays.copyOf(all, all.length - 10));
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(tmp.resolve("cut.safetensors")));
        assertTrue(e.getMessage().contains("cut.safetensors") && e.getMessage().contains("truncated"), e.getMessage());
        Files.writeString(tmp.resolve("junk.safetensors"), "this is not a safetensors file at all");
        e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(tmp.resolve("junk.safetensors")));
        assertTrue(e.getMessage().contains("junk.safetensors"), e.getMessage());
        e = assertThrows(CheckpointException.class, () -> Checkpoint.open(tmp.resolve("missing")));
        assertTrue(e.getMessage().contains("not a directory"));
        Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(CheckpointException.class, () -> Checkpoint.open(tmp.resolve("empty")));
        assertTrue(e.getMessage().contains("config.json"));
        assertFalse(Files.exists(tmp.resolve("empty/tokenizer.json")));
    }
}
