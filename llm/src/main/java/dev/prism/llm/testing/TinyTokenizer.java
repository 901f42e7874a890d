package dev.prism.llm.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A WordLevel tokenizer.json (whitespace pre-tokenizer) that DJL's HuggingFace tokenizers load:
 * special tokens first, then a small English word list, then filler words "w{i}" up to the vocab size.
 */
public final class TinyTokenizer {
    public static final String UNK = "<unk>";
    public static final String BOS = "<s>";
    public static final String EOS = "</s>";
    public static final String IMAGE = "<image>";
    public static final String FAKE_AROUND_IMAGE = "<fake_token_around_image>";
    public static final String GLOBAL_IMAGE = "<global-img>";
    /** Grid tokens for image splitting up to this many rows/columns. */
    public static final int MAX_GRID = 4;
    private static final String[] WORDS = ("the a an cat dog bird sky tree house car red green blue big small "
            + "image picture photo shows is are in on of with and what where who this that there here it "
            + "man woman child people street water sun moon night day white black person standing sitting "
            + "describe question answer user assistant : , . ? !").split(" ");

    private TinyTokenizer() {
    }

    /** All tokens in id order. */
    public static List<String> vocabulary(int vocabSize) {
        List<String> v = new ArrayList<>(List.of(UNK, BOS, EOS, IMAGE, FAKE_AROUND_IMAGE, GLOBAL_IMAGE, "<end_of_utterance>"));
        for (int r = 1; r <= MAX_GRID; r++) {
            for (int c = 1; c <= MAX_GRID; c++) {
                v.add("<row_" + r + "_col_" + c + ">");
            }
        }
        for (String w : WORDS) {
            v.add(w);
        }
        for (int i = 0; v.size() < vocabSize; i++) {
            v.add("w" + i);
        }
        if (v.size() > vocabSize) {
            throw new IllegalArgumentException("vocab size " + vocabSize + " is below the " + v.size() + " base tokens");
        }
        return v;
    }

    public static int specialCount() {
        return 7 + MAX_GRID * MAX_GRID;
    }

    public static void write(Path file, int vocabSize) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        List<String> vocab = vocabulary(vocabSize);
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < specialCount(); i++) {
            addSpecial(added, i, vocab.get(i));
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        root.putNull("post_processor");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode v = model.putObject("vocab");
        for (int i = 0; i < vocab.size(); i++) {
            v.put(vocab.get(i), i);
        }
        model.put("unk_token", UNK);
        json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    /** One entry of tokenizer.json's added_tokens: a special token matched verbatim. */
    static void addSpecial(ArrayNode added, int id, String content) {
        ObjectNode t = added.addObject();
        t.put("id", id);
        t.put("content", content);
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", false);
        t.put("normalized", false);
        t.put("special", true);
    }
}
