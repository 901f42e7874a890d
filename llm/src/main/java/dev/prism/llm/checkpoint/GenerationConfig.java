package dev.prism.llm.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** generation_config.json: the defaults a checkpoint ships for decoding. Missing file = empty defaults. */
public record GenerationConfig(List<Integer> eosTokenIds, Integer bosTokenId, Integer padTokenId, Integer maxNewTokens,
                               Double temperature, Double topP, Boolean doSample) {

    public static GenerationConfig read(Path dir) {
        Path f = dir.resolve("generation_config.json");
        if (!Files.exists(f)) {
            return new GenerationConfig(List.of(), null, null, null, null, null, null);
        }
        return from(ModelConfig.read(f));
    }

    /** Also used for config.json, whose eos/bos fields are the fallback. */
    public static GenerationConfig from(ModelConfig c) {
        JsonNode n = c.json();
        List<Integer> eos = new ArrayList<>();
        JsonNode e = n.get("eos_token_id");
        if (e != null && e.isArray()) {
            e.forEach(x -> eos.add(x.asInt()));
        } else if (e != null && e.isNumber()) {
            eos.add(e.asInt());
        }
        return new GenerationConfig(List.copyOf(eos),
                c.has("bos_token_id") ? c.getInt("bos_token_id", 0) : null,
                c.has("pad_token_id") ? c.getInt("pad_token_id", 0) : null,
                c.has("max_new_tokens") ? c.getInt("max_new_tokens", 0) : null,
                c.has("temperature") ? c.getDouble("temperature", 1) : null,
                c.has("top_p") ? c.getDouble("top_p", 1) : null,
                c.has("do_sample") ? c.getBool("do_sample", false) : null);
    }
}
