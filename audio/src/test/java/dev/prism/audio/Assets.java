package dev.prism.audio;

import dev.prism.audio.io.WavReader;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates PRISM_ASSETS (system property prism.assets, else env PRISM_ASSETS) for tests. */
public final class Assets {
    private Assets() {
    }

    public static Path root() {
        String p = System.getProperty("prism.assets");
        if (p == null || p.isBlank() || p.startsWith("${")) {
            p = System.getenv("PRISM_ASSETS");
        }
        if (p == null || p.isBlank()) {
            throw new IllegalStateException("Set PRISM_ASSETS to the shared assets folder (CI: ../shared)");
        }
        Path root = Path.of(p);
        if (!Files.isDirectory(root.resolve("media/speech"))) {
            throw new IllegalStateException("PRISM_ASSETS=" + root + " has no media/speech folder");
        }
        return root;
    }

    public static Path speech(String name) {
        return root().resolve("media/speech").resolve(name);
    }

    public static float[] wav(String name) {
        return WavReader.read16kMono(speech(name));
    }

    public static Path sileroModel() {
        return root().resolve("models/silero-vad/silero_vad.onnx");
    }

    public static final String[] LIBRIVOX = {
        "sense_and_sensibility_01_austen_64kb-0890",
        "sense_and_sensibility_01_austen_64kb-0920",
        "sense_and_sensibility_01_austen_64kb-0930"};
}
