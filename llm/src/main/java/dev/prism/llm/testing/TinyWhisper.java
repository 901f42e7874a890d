package dev.prism.llm.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prism.llm.checkpoint.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Generated Whisper checkpoints in the HF layout ({@code prism_demo: true}). */
public final class TinyWhisper {
    private TinyWhisper() {
    }

    /** A tiny Whisper (HF names, tied head): 8 mel bins, d 16, 2 heads, 2+2 layers, vocab 96. */
    public static Path write(Path dir, long seed) throws IOException {
        Files.createDirectories(dir);
        writeModel(dir, seed, 8, 16, 24, 96, 1, 2, null);
        TinyTokenizer.write(dir.resolve("tokenizer.json"), 96);
        return dir;
    }

    /**
     * A tiny Whisper a recognizer can run end to end: Whisper's real window (80 mel bins, 1500 encoder
     * positions = 30 s, 448 decoder positions), d 16, 2+2 layers, and a vocabulary laid out as Whisper's:
     * byte-level text pieces ({@link TinyWhisperVocab#TEXT}), then {@code <|endoftext|>},
     * {@code <|startoftranscript|>}, the languages, translate, transcribe, startoflm, startofprev, nospeech,
     * notimestamps and the 1501 timestamps {@code <|0.00|>..<|30.00|>}; generation_config.json carries the
     * ids the way Hugging Face's Whisper checkpoints do. {@code multilingual false} writes an ".en" style
     * config (no lang_to_id).
     */
    public static Path writeRecognizer(Path dir, long seed, boolean multilingual) throws IOException {
        Files.createDirectories(dir);
        TinyWhisperVocab v = new TinyWhisperVocab();
        writeModel(dir, seed, 80, 1500, 96, v.size(), v.sot(), v.eot(), v);
        v.writeTokenizer(dir.resolve("tokenizer.json"));
        v.writeGenerationConfig(dir.resolve("generation_config.json"), multilingual);
        return dir;
    }

    private static void writeModel(Path dir, long seed, int mels, int maxSource, int maxTarget, int vocab,
                                   int start, int eos, TinyWhisperVocab textScale) throws IOException {
        int d = 16;
        int ffn = 32;
        ObjectNode cfg = TinyCheckpoints.JSON.createObjectNode();
        cfg.put("model_type", "whisper");
        cfg.putArray("architectures").add("WhisperForConditionalGeneration");
        cfg.put("d_model", d);
        cfg.put("encoder_layers", 2);
        cfg.put("decoder_layers", 2);
        cfg.put("encoder_attention_heads", 2);
        cfg.put("decoder_attention_heads", 2);
        cfg.put("encoder_ffn_dim", ffn);
        cfg.put("decoder_ffn_dim", ffn);
        cfg.put("num_mel_bins", mels);
        cfg.put("max_source_positions", maxSource);
        cfg.put("max_target_positions", maxTarget);
        cfg.put("vocab_size", vocab);
        cfg.put("decoder_start_token_id", start);
        cfg.put("eos_token_id", eos);
        cfg.put("prism_demo", true);
        TinyCheckpoints.write(dir.resolve("config.json"), cfg);
        ShardedWeightWriter w = new ShardedWeightWriter(dir, DType.F32, Long.MAX_VALUE, seed);
        w.random("model.encoder.conv1.weight", 0, 1 / Math.sqrt(3.0 * mels), d, mels, 3);
        w.random("model.encoder.conv1.bias", 0, 0.1, d);
        w.random("model.encoder.conv2.weight", 0, 1 / Math.sqrt(3.0 * d), d, d, 3);
        w.random("model.encoder.conv2.bias", 0, 0.1, d);
        w.random("model.encoder.embed_positions.weight", 0, 0.5, maxSource, d);
        for (int l = 0; l < 2; l++) {
            whisperLayer(w, "model.encoder.layers." + l + ".", d, ffn, false);
        }
        w.random("model.encoder.layer_norm.weight", 1, 0.1, d);
        w.random("model.encoder.layer_norm.bias", 0, 0.1, d);
        if (textScale == null) {
            w.random("model.decoder.embed_tokens.weight", 0, 1, vocab, d);
        } else {
            w.put("model.decoder.embed_tokens.weight", new long[] {vocab, d}, textScale.embeddings(seed, d));
        }
        w.random("model.decoder.embed_positions.weight", 0, 0.5, maxTarget, d);
        for (int l = 0; l < 2; l++) {
            whisperLayer(w, "model.decoder.layers." + l + ".", d, ffn, true);
        }
        w.random("model.decoder.layer_norm.weight", 1, 0.1, d);
        w.random("model.decoder.layer_norm.bias", 0, 0.1, d);
        w.finish();
    }

    private static void whisperLayer(ShardedWeightWriter w, String p, int d, int ffn, boolean decoder) {
        String[] attns = decoder ? new String[] {"self_attn", "encoder_attn"} : new String[] {"self_attn"};
        for (String a : attns) {
            w.random(p + a + "_layer_norm.weight", 1, 0.1, d);
            w.random(p + a + "_layer_norm.bias", 0, 0.1, d);
            for (String proj : new String[] {"q_proj", "k_proj", "v_proj", "out_proj"}) {
                w.linear(p + a + "." + proj + ".weight", d, d);
                if (!proj.equals("k_proj")) {
                    w.random(p + a + "." + proj + ".bias", 0, 0.1, d);
                }
            }
        }
        w.random(p + "final_layer_norm.weight", 1, 0.1, d);
        w.random(p + "final_layer_norm.bias", 0, 0.1, d);
        w.linear(p + "fc1.weight", ffn, d);
        w.random(p + "fc1.bias", 0, 0.1, ffn);
        w.linear(p + "fc2.weight", d, ffn);
        w.random(p + "fc2.bias", 0, 0.1, d);
    }

}
