package dev.prism.vision.caption;

import dev.prism.llm.checkpoint.DType;
import dev.prism.llm.testing.TinyCheckpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Generated LLaVA-1.5-layout checkpoints (random weights, {@code prism_demo: true}) written once into a cache
 * directory with the runtime's generators. MustDrop needs a CLS token and a patch grid tiled by 3x3 windows, and the
 * spec's stage B layers go up to 14, so the demo model has a 6x6 grid and 16 decoder layers; the benchmark model has
 * realistic shapes: a 27x27 grid (729 tokens per frame, as SigLIP-so400m at 384 px) and a Llama 768x12 decoder.
 */
public final class DemoCheckpoints {
    /** Bump when the generated shapes change, so stale caches are not reused. */
    static final String TINY = "prism-demo-llava-tiny-v1";
    static final String BENCH = "prism-demo-llava-100m-v2";
    static final String TINY_SMOLVLM = "prism-demo-smolvlm-tiny-v1";

    private DemoCheckpoints() {
    }

    /** The tiny demo VLM: CLIP 32x2 layers at 48 px / 8 px patches, Llama 32x16 layers, GQA 4/2, vocab 128. */
    public static Path tiny(Path cacheDir) {
        return ensure(cacheDir, TINY, dir -> TinyCheckpoints.writeLlava(dir,
                new TinyCheckpoints.VisionDims("clip", 32, 2, 64, 2, 48, 8),
                new TinyCheckpoints.DecoderDims("llama", 32, 4, 2, 64, 16, 128, false, null), 7, DType.F32,
                Long.MAX_VALUE));
    }

    /**
     * The tiny Idefics3/SmolVLM demo: SigLIP 32x2 layers at 48 px / 4 px patches (12x12 grid), pixel shuffle 2, so each
     * tile is a 6x6 grid of projected tokens that 3x3 windows tile; images go to a 96 px longest edge, i.e. 2x2 tiles
     * plus the global view (180 tokens per square frame); Llama 32x16 layers, GQA 4/2, vocab 128.
     */
    public static Path tinySmolVlm(Path cacheDir) {
        return ensure(cacheDir, TINY_SMOLVLM, dir -> TinyCheckpoints.writeIdefics3(dir,
                new TinyCheckpoints.VisionDims("siglip", 32, 2, 64, 2, 48, 4),
                new TinyCheckpoints.DecoderDims("llama", 32, 4, 2, 64, 16, 128, false, null), 2, 11, DType.F32,
                Long.MAX_VALUE));
    }

    /**
     * The ~100M-parameter benchmark VLM: CLIP 384x6 layers (5 run, feature layer -2) at 378 px / 14 px patches,
     * two-layer projector, Llama 768x12 layers with GQA 12/4 heads, intermediate 2048, vocab 8192, untied LM head
     * (about 100M parameters). With tied random embeddings the logits are dominated by the input token's own
     * embedding: the model repeats its input whatever the context, so every fidelity figure would be trivially
     * perfect (measured: one distinct token over 32 steps, KL 1e-40 even against another segment).
     */
    public static Path bench(Path cacheDir) {
        return ensure(cacheDir, BENCH, dir -> TinyCheckpoints.writeLlava(dir,
                new TinyCheckpoints.VisionDims("clip", 384, 6, 1536, 6, 378, 14),
                new TinyCheckpoints.DecoderDims("llama", 768, 12, 4, 2048, 12, 8192, false, null), 2024, DType.F32,
                256L << 20));
    }

    interface Writer {
        void write(Path dir) throws IOException;
    }

    private static synchronized Path ensure(Path cacheDir, String name, Writer writer) {
        CaptionException.check(cacheDir != null, "a cache directory is needed to generate the demo checkpoint");
        Path dir = cacheDir.resolve(name);
        if (Files.exists(dir.resolve("config.json"))) {
            return dir;
        }
        Path tmp = null;
        try {
            Files.createDirectories(cacheDir);
            tmp = Files.createTempDirectory(cacheDir, name + ".tmp");
            writer.write(tmp);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir);
            }
            tmp = null;
            return dir;
        } catch (IOException e) {
            if (Files.exists(dir.resolve("config.json"))) {
                return dir; // another process finished it first
            }
            throw new UncheckedIOException("cannot write the demo checkpoint into " + cacheDir + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                delete(tmp);
            }
        }
    }

    static void delete(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a leftover temporary directory does no harm
        }
    }
}
