package dev.prism.llm.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.llm.checkpoint.CheckpointException;
import dev.prism.llm.checkpoint.DType;
import dev.prism.llm.runtime.RuntimeFailure;
import java.nio.file.Files;
import dev.prism.llm.generate.CachePolicy;
import dev.prism.llm.generate.GenerationOptions;
import dev.prism.llm.generate.GenerationResult;
import dev.prism.llm.generate.TokenListener;
import dev.prism.llm.runtime.RuntimeOptions;
import dev.prism.llm.testing.TinyCheckpoints;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VisionLanguageModelTest {
    @TempDir
    Path tmp;

    static byte[] gradient(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[(y * w + x) * 3] = (byte) (x * 255 / w);
                rgb[(y * w + x) * 3 + 1] = (byte) (y * 255 / h);
                rgb[(y * w + x) * 3 + 2] = (byte) ((x + y) % 256);
            }
        }
        return rgb;
    }

    @Test
    void llavaPlacesOneEmbeddingPerPatchAtTheImageTokenAndGeneratesDemoText() throws Exception {
        Path dir = TinyCheckpoints.writeLlava(tmp.resolve("llava"), TinyCheckpoints.VisionDims.tiny("clip"),
                TinyCheckpoints.DecoderDims.tiny("llama"), 1, DType.F32, Long.MAX_VALUE);
        try (VisionLanguageModel m = VisionLanguageModel.load(dir, RuntimeOptions.threads(1))) {
            assertTrue(m.isDemo());
            assertEquals("llava", m.architecture());
            assertEquals(1, m.visionTower().layerCount(), "vision_feature_layer -2 stops before the last layer");
            VisionTokens v = m.encodeImage(gradient(48, 40), 48, 40);
            assertEquals(16, v.count(), "4x4 patches, CLS dropped");
            Prompt p = m.prepare("user : <image> what is in this picture ? assistant :", v);
            assertEquals(16, p.visionPositions().length);
            assertEquals(2, p.prefixLength());
            for (int i = 0; i < 16; i++) {
                assertEquals(p.prefixLength() + i, p.visionPositions()[i]);
                assertArrayEquals(Arrays.copyOfRange(v.embeddings(), i * 32, i * 32 + 32),
                        Arrays.copyOfRange(p.embeddings(), p.visionPositions()[i] * 32, p.visionPositions()[i] * 32 + 32));
            }
            GenerationResult r = m.generate(p, GenerationOptions.greedy(5), CachePolicy.NONE, TokenListener.NONE);
            assertTrue(r.demo());
            assertEquals(p.length(), r.promptTokens());
            assertTrue(r.tokens().length >= 1);
            // a vision hook that merges tokens shortens what reaches the decoder
            VisionTokens merged = m.encodeImage(gradient(48, 40), 48, 40, new VisionHook() {
                @Override
                public void afterLayer(VisionLayerState s) {
                    s.replace(Arrays.copyOf(s.tokens(), 9 * s.hidden()));
                }
            });
            assertEquals(8, merged.count());
        }
    }

    @Test
    void idefics3SplitsWideImagesIntoTilesPlusAGlobalViewWithGridTokens() throws Exception {
        Path dir = TinyCheckpoints.writeIdefics3(tmp.resolve("smol"), TinyCheckpoints.VisionDims.tiny("siglip"),
                TinyCheckpoints.DecoderDims.tiny("llama"), 2, 1, DType.BF16, 30_000);
        try (VisionLanguageModel m = VisionLanguageModel.load(dir, RuntimeOptions.threads(1))) {
            VisionTokens v = m.encodeImage(gradient(80, 40), 80, 40);
            assertEquals(1, v.rows());
            assertEquals(2, v.cols());
            assertTrue(v.hasGlobal());
            assertEquals(4, v.tokensPerTile(), "16 patches / scale 2^2");
            assertEquals(12, v.count());
            Prompt p = m.prepare("<image> describe this image", v);
            var tok = m.tokenizer();
            long around = tok.tokenId("<fake_token_around_image>");
            long img = tok.tokenId("<image>");
            long[] expectHead = {around, tok.tokenId("<row_1_col_1>"), img, img, img, img,
                    around, tok.tokenId("<row_1_col_2>"), img, img, img, img,
                    around, tok.tokenId("<global-img>"), img, img, img, img, around};
            assertArrayEquals(expectHead, Arrays.copyOf(p.ids(), expectHead.length));
            assertEquals(expectHead.length + 3, p.length());
            VisionTokens small = m.encodeImage(gradient(20, 20), 20, 20);
            assertEquals(2, small.rows(), "small images are upscaled to the longest edge first, as Idefics3's processor does");
            assertEquals(20, small.count(), "2x2 tiles + global view, 4 tokens each");
            GenerationResult r = m.generate("<image> describe", small, GenerationOptions.greedy(3), TokenListener.NONE);
            assertTrue(r.demo());
            assertThrows(IllegalArgumentException.class, () -> m.encodeImage(new byte[10], 4, 4));
        }
    }

    @Test
    void configThatDoesNotMatchTheWeightsOrAnUnknownArchitectureFailsWithTheReason() throws Exception {
        Path dir = TinyCheckpoints.writeDecoder(tmp.resolve("lm"), TinyCheckpoints.DecoderDims.tiny("llama"), 1, DType.F32, Long.MAX_VALUE);
        String cfg = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), cfg.replace("\"intermediate_size\" : 64", "\"intermediate_size\" : 48"));
        RuntimeFailure e = assertThrows(RuntimeFailure.class, () -> VisionLanguageModel.load(dir, RuntimeOptions.threads(1)));
        assertTrue(e.getMessage().contains("mlp.gate_proj.weight") && e.getMessage().contains("config.json"), e.getMessage());
        Files.writeString(dir.resolve("config.json"), cfg.replace("\"llama\"", "\"gpt2\""));
        CheckpointException c = assertThrows(CheckpointException.class, () -> VisionLanguageModel.load(dir, RuntimeOptions.threads(1)));
        assertTrue(c.getMessage().contains("gpt2") && c.getMessage().contains("supported"), c.getMessage());
        Files.writeString(dir.resolve("config.json"), cfg);
        try (VisionLanguageModel m = VisionLanguageModel.load(dir, RuntimeOptions.threads(1))) {
            assertTrue(!m.hasVision());
            assertThrows(IllegalStateException.class, () -> m.encodeImage(new byte[12], 2, 2));
            GenerationResult r = m.generate("the cat", null, GenerationOptions.greedy(3), TokenListener.NONE);
            assertEquals(2, r.promptTokens());
        }
    }
}
