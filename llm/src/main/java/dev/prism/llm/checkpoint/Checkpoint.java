package dev.prism.llm.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A Hugging Face style checkpoint directory: config.json, *.safetensors (mapped), tokenizer.json,
 * generation_config.json and preprocessor_config.json. Owns the mapped files and the native tokenizer.
 */
public final class Checkpoint implements AutoCloseable {
    private final Path dir;
    private final ModelConfig config;
    private final Weights weights;
    private final GenerationConfig generation;
    private TextTokenizer tokenizer;

    private Checkpoint(Path dir, ModelConfig config, Weights weights, GenerationConfig generation) {
        this.dir = dir;
        this.config = config;
        this.weights = weights;
        this.generation = generation;
    }

    public static Checkpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException(dir + " is not a directory (pass a Hugging Face checkpoint directory, "
                    + "e.g. one made by `prism models fetch`)");
        }
        ModelConfig config = ModelConfig.read(dir.resolve("config.json"));
        Weights weights = Weights.open(dir);
        GenerationConfig gen = GenerationConfig.read(dir);
        if (gen.eosTokenIds().isEmpty()) {
            gen = GenerationConfig.from(config.has("text_config") ? config.section("text_config") : config);
        }
        return new Checkpoint(dir, config, weights, gen);
    }

    public Path dir() {
        return dir;
    }

    public ModelConfig config() {
        return config;
    }

    public Weights weights() {
        return weights;
    }

    public GenerationConfig generationConfig() {
        return generation;
    }

    public boolean isDemo() {
        return config.isDemo();
    }

    public boolean hasTokenizer() {
        return Files.exists(dir.resolve("tokenizer.json"));
    }

    public synchronized TextTokenizer tokenizer() {
        if (tokenizer == null) {
            tokenizer = TextTokenizer.load(dir);
        }
        return tokenizer;
    }

    public Optional<ModelConfig> preprocessorConfig() {
        Path p = dir.resolve("preprocessor_config.json");
        return Files.exists(p) ? Optional.of(ModelConfig.read(p)) : Optional.empty();
    }

    @Override
    public synchronized void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
        weights.close();
    }
}
