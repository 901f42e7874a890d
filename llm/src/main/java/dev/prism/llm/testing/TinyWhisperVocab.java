package dev.prism.llm.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The vocabulary of {@link TinyWhisper#writeRecognizer}: byte-level text pieces ("Ġ" marks a leading
 * space, as in GPT-2/Whisper BPE), then Whisper's special tokens in Whisper's order, then timestamps.
 * The tokenizer.json is a WordLevel model with byte-level pre-tokenizer and decoder, so decoding a piece
 * gives back its leading space exactly as Whisper's BPE does.
 */
public final class TinyWhisperVocab {
    /** Text pieces; the bare "Ġ" is the blank token that suppress_blank forbids at the start. */
    public static final List<String> TEXT = List.of("Ġ", "Ġthe", "Ġcat", "Ġsat", "Ġon", "Ġmat", "Ġa", "Ġdog", "Ġran",
            "Ġhome", "Ġhello", "Ġworld", "Ġand", "Ġit", "Ġis", "Ġred", "Ġblue", "Ġsun", "Ġwe", "Ġgo", "Ġup", "Ġin",
            "s", "ed", "ing", "er", ".", ",", "?", "!");
    public static final List<String> LANGUAGES = List.of("en", "de");
    /** Timestamp tokens 0.00 .. 30.00 s in 0.02 s steps. */
    public static final int TIMESTAMPS = 1501;
    private final List<String> tokens = new ArrayList<>();
    private final int eot;

    TinyWhisperVocab() {
        tokens.addAll(TEXT);
        eot = tokens.size();
        tokens.add("<|endoftext|>");
        tokens.add("<|startoftranscript|>");
        for (String l : LANGUAGES) {
            tokens.add("<|" + l + "|>");
        }
        tokens.addAll(List.of("<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|startofprev|>", "<|nospeech|>",
                "<|notimestamps|>"));
        for (int i = 0; i < TIMESTAMPS; i++) {
            tokens.add(String.format(Locale.ROOT, "<|%.2f|>", i * 0.02));
        }
    }

    int size() {
        return tokens.size();
    }

    int eot() {
        return eot;
    }

    int sot() {
        return eot + 1;
    }

    private int id(String token) {
        return tokens.indexOf(token);
    }

    /**
     * Token embeddings (the head is tied to them): text and specials at unit scale, timestamps smaller, so
     * random weights still emit text between timestamps rather than timestamps only.
     */
    float[] embeddings(long seed, int d) {
        Random r = new Random(seed * 31 + 7);
        float[] e = new float[tokens.size() * d];
        int firstTimestamp = id("<|notimestamps|>") + 1;
        for (int t = 0; t < tokens.size(); t++) {
            double std = t >= firstTimestamp ? 0.35 : 1.0;
            for (int c = 0; c < d; c++) {
                e[t * d + c] = (float) (r.nextGaussian() * std);
            }
        }
        return e;
    }

    void writeTokenizer(Path file) throws IOException {
        ObjectNode root = TinyCheckpoints.JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = eot; i < tokens.size(); i++) {
            TinyTokenizer.addSpecial(added, i, tokens.get(i));
        }
        root.putNull("normalizer");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "ByteLevel");
        pre.put("add_prefix_space", false);
        pre.put("trim_offsets", true);
        pre.put("use_regex", true);
        root.putNull("post_processor");
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "ByteLevel");
        dec.put("add_prefix_space", true);
        dec.put("trim_offsets", true);
        dec.put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < tokens.size(); i++) {
            v.put(tokens.get(i), i);
        }
        model.put("unk_token", "<|endoftext|>");
        TinyCheckpoints.write(file, root);
    }

    /** generation_config.json with the fields Hugging Face's Whisper checkpoints carry. */
    void writeGenerationConfig(Path file, boolean multilingual) throws IOException {
        ObjectNode g = TinyCheckpoints.JSON.createObjectNode();
        g.put("decoder_start_token_id", sot());
        g.put("eos_token_id", eot);
        g.put("pad_token_id", eot);
        g.put("bos_token_id", eot);
        g.put("no_timestamps_token_id", id("<|notimestamps|>"));
        g.put("prev_sot_token_id", id("<|startofprev|>"));
        g.put("max_initial_timestamp_index", 50);
        g.put("max_length", 96);
        g.put("is_multilingual", multilingual);
        ArrayNode heads = g.putArray("alignment_heads");
        heads.addArray().add(1).add(0);
        heads.addArray().add(1).add(1);
        g.putArray("begin_suppress_tokens").add(id("Ġ")).add(eot);
        g.putArray("suppress_tokens").add(id("!"));
        if (multilingual) {
            ObjectNode langs = g.putObject("lang_to_id");
            for (String l : LANGUAGES) {
                langs.put("<|" + l + "|>", id("<|" + l + "|>"));
            }
            ObjectNode tasks = g.putObject("task_to_id");
            tasks.put("translate", id("<|translate|>"));
            tasks.put("transcribe", id("<|transcribe|>"));
        }
        TinyCheckpoints.write(file, g);
    }
}
