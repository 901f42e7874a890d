package dev.prism.llm.checkpoint;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** tokenizer.json through DJL's HuggingFace tokenizers binding (native, offline). Owns the native tokenizer. */
public final class TextTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final Path file;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, Path file) {
        this.tokenizer = tokenizer;
        this.file = file;
    }

    public static TextTokenizer load(Path dir) {
        Path f = Files.isDirectory(dir) ? dir.resolve("tokenizer.json") : dir;
        if (!Files.exists(f)) {
            throw new CheckpointException(f + " does not exist (the checkpoint needs a tokenizer.json in the Hugging Face format)");
        }
        try {
            // no padding/truncation: the generation loop wants exact ids
            return new TextTokenizer(HuggingFaceTokenizer.newInstance(f, Map.of("addSpecialTokens", "false",
                    "padding", "false", "truncation", "false")), f);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(f + ": DJL could not load the tokenizer: " + e.getMessage(), e);
        }
    }

    /** Token ids of text, without the template's special tokens unless addSpecial. */
    public long[] encode(String text, boolean addSpecial) {
        Encoding enc = tokenizer.encode(text, addSpecial, false);
        return enc.getIds();
    }

    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    public String decodeKeepSpecial(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    /** Id of a single token string (special tokens included), or -1 if it is not one token. */
    public long tokenId(String token) {
        long[] ids = tokenizer.encode(token, false, false).getIds();
        return ids.length == 1 ? ids[0] : -1;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
