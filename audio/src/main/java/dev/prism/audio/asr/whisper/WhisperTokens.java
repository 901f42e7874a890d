package dev.prism.audio.asr.whisper;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prism.audio.AudioException;
import dev.prism.llm.checkpoint.ModelConfig;
import dev.prism.llm.checkpoint.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The special token ids of one Whisper checkpoint, read as Hugging Face ships them: generation_config.json
 * (decoder_start_token_id = {@code <|startoftranscript|>}, eos = {@code <|endoftext|>}, lang_to_id, task_to_id,
 * no_timestamps_token_id, prev_sot_token_id, suppress_tokens, begin_suppress_tokens, alignment_heads,
 * max_initial_timestamp_index), the rest looked up in tokenizer.json. Timestamps start right after
 * {@code <|notimestamps|>} and {@code <|nospeech|>} (older name {@code <|nocaptions|>}) sits right before it,
 * in every Whisper vocabulary.
 *
 * @param languages     language code -> token id, in the checkpoint's order; empty for English-only models
 * @param suppress      ids suppressed at every step (the checkpoint's list plus the task/start specials,
 *                      as Whisper's suppress_tokens="-1")
 * @param beginSuppress ids suppressed at the first sampled position (blank and end-of-text)
 * @param alignmentHeads (layer, head) pairs whose cross-attention follows the audio
 */
public record WhisperTokens(int eot, int sot, int translate, int transcribe, int sotPrev, int noSpeech,
                            int noTimestamps, int timestampBegin, int vocab, Map<String, Integer> languages,
                            int[] suppress, int[] beginSuppress, int[][] alignmentHeads, int maxInitialTimestampIndex) {

    public boolean multilingual() {
        return !languages.isEmpty();
    }

    public boolean isTimestamp(long token) {
        return token >= timestampBegin;
    }

    /** Reads the ids of the checkpoint in dir; decoder layers/heads give the default alignment heads. */
    public static WhisperTokens read(Path dir, TextTokenizer tok, int vocab, int decoderLayers, int decoderHeads) {
        Path f = dir.resolve("generation_config.json");
        if (!Files.exists(f)) {
            throw new AudioException(f + " is missing: a Whisper checkpoint needs the generation_config.json that "
                    + "Hugging Face ships with it (it holds the special token ids); fetch the whole model repository");
        }
        ModelConfig g = ModelConfig.read(f);
        int sot = g.getInt("decoder_start_token_id", (int) tok.tokenId("<|startoftranscript|>"));
        int eot = firstInt(g.json().get("eos_token_id"), (int) tok.tokenId("<|endoftext|>"));
        int noTs = g.getInt("no_timestamps_token_id", (int) tok.tokenId("<|notimestamps|>"));
        if (sot < 0 || eot < 0 || noTs < 0) {
            throw new AudioException(f + ": cannot find <|startoftranscript|>, <|endoftext|> and <|notimestamps|> ids "
                    + "(decoder_start_token_id, eos_token_id, no_timestamps_token_id); is this a Whisper checkpoint?");
        }
        Map<String, Integer> langs = new LinkedHashMap<>();
        JsonNode l = g.json().get("lang_to_id");
        boolean multi = g.json().path("is_multilingual").asBoolean(l != null && l.size() > 0);
        if (multi && l != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                langs.put(e.getKey().replace("<|", "").replace("|>", ""), e.getValue().asInt());
            }
        }
        JsonNode tasks = g.json().path("task_to_id");
        int translate = tasks.path("translate").asInt((int) tok.tokenId("<|translate|>"));
        int transcribe = tasks.path("transcribe").asInt((int) tok.tokenId("<|transcribe|>"));
        int sotPrev = g.getInt("prev_sot_token_id", (int) tok.tokenId("<|startofprev|>"));
        long ns = tok.tokenId("<|nospeech|>");
        int noSpeech = (int) (ns >= 0 ? ns : tok.tokenId("<|nocaptions|>") >= 0 ? tok.tokenId("<|nocaptions|>") : noTs - 1);
        List<Integer> suppress = ints(g.json().get("suppress_tokens"));
        for (long special : new long[] {transcribe, translate, sot, sotPrev, tok.tokenId("<|startoflm|>"), noSpeech}) {
            if (special >= 0 && !suppress.contains((int) special)) {
                suppress.add((int) special);
            }
        }
        List<Integer> begin = ints(g.json().get("begin_suppress_tokens"));
        if (begin.isEmpty()) {
            for (long b : tok.encode(" ", false)) {
                begin.add((int) b);
            }
            begin.add(eot);
        }
        int[][] heads = alignmentHeads(g.json().get("alignment_heads"), decoderLayers, decoderHeads);
        return new WhisperTokens(eot, sot, translate, transcribe, sotPrev, noSpeech, noTs, noTs + 1, vocab,
                Map.copyOf(langs), suppress.stream().mapToInt(Integer::intValue).toArray(),
                begin.stream().mapToInt(Integer::intValue).toArray(), heads,
                g.getInt("max_initial_timestamp_index", 50));
    }

    /** The checkpoint's alignment heads, else every head of the last half of the decoder layers (Whisper's default). */
    static int[][] alignmentHeads(JsonNode n, int layers, int heads) {
        List<int[]> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(p -> out.add(new int[] {p.get(0).asInt(), p.get(1).asInt()}));
        }
        if (out.isEmpty()) {
            for (int l = layers / 2; l < layers; l++) {
                for (int h = 0; h < heads; h++) {
                    out.add(new int[] {l, h});
                }
            }
        }
        for (int[] p : out) {
            if (p[0] < 0 || p[0] >= layers || p[1] < 0 || p[1] >= heads) {
                throw new AudioException("alignment head (" + p[0] + ", " + p[1] + ") is outside the decoder's "
                        + layers + " layers x " + heads + " heads; fix alignment_heads in generation_config.json");
            }
        }
        return out.toArray(int[][]::new);
    }

    private static int firstInt(JsonNode n, int dflt) {
        if (n == null || n.isNull()) {
            return dflt;
        }
        return n.isArray() ? (n.size() > 0 ? n.get(0).asInt() : dflt) : n.asInt();
    }

    private static List<Integer> ints(JsonNode n) {
        List<Integer> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(x -> out.add(x.asInt()));
        }
        return out;
    }

    /** The start-of-transcript sequence: sot, then language and task for multilingual models. */
    public long[] sotSequence(String language, String task) {
        if (!multilingual()) {
            return new long[] {sot};
        }
        Integer lang = languages.get(language);
        if (lang == null) {
            throw new AudioException("language '" + language + "' is not one of this Whisper model's " + languages.size()
                    + " languages " + languages.keySet() + "; configure one of them or leave it unset to detect it");
        }
        return new long[] {sot, lang, "translate".equals(task) ? translate : transcribe};
    }
}
