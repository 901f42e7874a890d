package dev.prism.llm.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A config.json (or one of its nested sections such as text_config / vision_config) with typed getters. */
public final class ModelConfig {
    private final JsonNode node;
    private final String where;

    public ModelConfig(JsonNode node, String where) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.where = where;
    }

    public static ModelConfig read(Path file) {
        if (!Files.exists(file)) {
            throw new CheckpointException(file + " does not exist (a Hugging Face checkpoint directory needs config.json)");
        }
        try {
            return new ModelConfig(new ObjectMapper().readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new CheckpointException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    public JsonNode json() {
        return node;
    }

    public boolean has(String key) {
        return node.hasNonNull(key);
    }

    public ModelConfig section(String key) {
        return new ModelConfig(node.get(key), where + "#" + key);
    }

    public int requireInt(String key) {
        if (!node.hasNonNull(key)) {
            throw new CheckpointException(where + ": missing required integer '" + key + "'");
        }
        return node.get(key).asInt();
    }

    public int getInt(String key, int dflt) {
        return node.hasNonNull(key) ? node.get(key).asInt() : dflt;
    }

    public double getDouble(String key, double dflt) {
        return node.hasNonNull(key) ? node.get(key).asDouble() : dflt;
    }

    public String getString(String key, String dflt) {
        return node.hasNonNull(key) ? node.get(key).asText() : dflt;
    }

    public boolean getBool(String key, boolean dflt) {
        return node.hasNonNull(key) ? node.get(key).asBoolean() : dflt;
    }

    public String modelType() {
        return getString("model_type", "");
    }

    /** True for checkpoints the project generated (random weights): outputs made with them are demo output. */
    public boolean isDemo() {
        return getBool("prism_demo", false);
    }

    public String where() {
        return where;
    }
}
