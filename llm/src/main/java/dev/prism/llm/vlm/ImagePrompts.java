package dev.prism.llm.vlm;

import dev.prism.llm.checkpoint.CheckpointException;
import dev.prism.llm.checkpoint.TextTokenizer;
import dev.prism.llm.generate.DecoderModel;
import java.util.ArrayList;
import java.util.List;

/** Image token placement: LLaVA repeats {@code <image>}; Idefics3 wraps tiles with grid tokens and a global view. */
final class ImagePrompts {
    private ImagePrompts() {
    }

    /**
     * Tokenises the prompt and splices the vision tokens at its {@code <image>} placeholder (at the start
     * when there is none). LLaVA repeats the image token; Idefics3 wraps each tile with its
     * row/column tokens and the global view with {@code <global-img>}.
     */
    static Prompt prepare(TextTokenizer tok, DecoderModel decoder, boolean llava, String prompt, VisionTokens vision) {
        if (vision == null) {
            long[] ids = tok.encode(prompt, true);
            return new Prompt(ids, decoder.embed(ids), new int[0]);
        }
        if (llava) {
            return splice(tok, decoder, prompt, vision.embeddings(), vision.count(), ids -> {
                long image = special(tok, "<image>");
                for (int i = 0; i < vision.count(); i++) {
                    ids.add(image);
                }
            });
        }
        return prepareTiled(tok, decoder, prompt, vision.embeddings(), List.of(ImageLayout.of(vision)));
    }

    /**
     * Idefics3 placement for one or more images whose tiles may hold different token counts (pruned tiles), in
     * order: per image, each tile as {@code <fake_token_around_image><row_r_col_c>} and its image tokens, a newline
     * after each row of tiles, then a newline and {@code <fake_token_around_image><global-img>} with the global view's
     * tokens and a closing {@code <fake_token_around_image>} (a single-tile image is the global form only), as the
     * Hugging Face processor writes it; {@code embeddings} holds all images' tokens in that order.
     */
    static Prompt prepareTiled(TextTokenizer tok, DecoderModel decoder, String prompt, float[] embeddings,
            List<ImageLayout> images) {
        int count = 0;
        for (ImageLayout l : images) {
            count += l.count();
        }
        return splice(tok, decoder, prompt, embeddings, count, ids -> {
            long image = special(tok, "<image>");
            long around = special(tok, "<fake_token_around_image>");
            long global = special(tok, "<global-img>");
            long[] newline = tok.encode("\n", false);
            for (ImageLayout l : images) {
                int t = 0;
                if (l.hasGlobal()) {
                    for (int r = 0; r < l.rows(); r++) {
                        for (int c = 0; c < l.cols(); c++) {
                            ids.add(around);
                            ids.add(special(tok, "<row_" + (r + 1) + "_col_" + (c + 1) + ">"));
                            repeat(ids, image, l.tileTokens()[t++]);
                        }
                        add(ids, newline);
                    }
                    add(ids, newline);
                }
                ids.add(around);
                ids.add(global);
                repeat(ids, image, l.tileTokens()[t]);
                ids.add(around);
            }
        });
    }

    /** Tokenises the text around the (first) {@code <image>} placeholder and puts the image ids in its place. */
    private static Prompt splice(TextTokenizer tok, DecoderModel decoder, String prompt, float[] embeddings, int count,
            java.util.function.Consumer<List<Long>> imageIds) {
        String text = prompt.contains("<image>") ? prompt : "<image> " + prompt;
        int at = text.indexOf("<image>");
        List<Long> ids = new ArrayList<>();
        for (long id : tok.encode(text.substring(0, at), true)) {
            ids.add(id);
        }
        long image = special(tok, "<image>");
        imageIds.accept(ids);
        for (long id : tok.encode(text.substring(at + "<image>".length()), false)) {
            ids.add(id);
        }
        long[] arr = ids.stream().mapToLong(Long::longValue).toArray();
        float[] emb = decoder.embed(arr);
        int h = decoder.spec().hidden();
        if (embeddings.length != (long) count * h) {
            throw new IllegalArgumentException("vision embeddings hold " + embeddings.length + " values, expected "
                    + count + " tokens x " + h);
        }
        int[] positions = new int[count];
        int v = 0;
        for (int i = 0; i < arr.length; i++) {
            if (arr[i] == image) {
                if (v >= count) {
                    throw new IllegalArgumentException("prompt has more image tokens than the " + count + " vision tokens");
                }
                System.arraycopy(embeddings, v * h, emb, i * h, h);
                positions[v++] = i;
            }
        }
        if (v != count) {
            throw new IllegalArgumentException("prompt placed " + v + " image tokens but there are " + count + " vision tokens");
        }
        return new Prompt(arr, emb, positions);
    }

    private static void add(List<Long> ids, long[] more) {
        for (long id : more) {
            ids.add(id);
        }
    }

    private static void repeat(List<Long> ids, long id, int n) {
        for (int i = 0; i < n; i++) {
            ids.add(id);
        }
    }

    private static long special(TextTokenizer tok, String token) {
        long id = tok.tokenId(token);
        if (id < 0) {
            throw new CheckpointException(tok.file() + " has no single token for '" + token + "' that image prompts need");
        }
        return id;
    }

}
