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
        String text = prompt.contains("<image>") ? prompt : "<image> " + prompt;
        int at = text.indexOf("<image>");
        List<Long> ids = new ArrayList<>();
        for (long id : tok.encode(text.substring(0, at), true)) {
            ids.add(id);
        }
        long image = special(tok, "<image>");
        if (llava) {
            for (int i = 0; i < vision.count(); i++) {
                ids.add(image);
            }
        } else {
            long around = special(tok, "<fake_token_around_image>");
            long global = special(tok, "<global-img>");
            int k = vision.tokensPerTile();
            if (vision.hasGlobal()) {
                for (int r = 0; r < vision.rows(); r++) {
                    for (int c = 0; c < vision.cols(); c++) {
                        ids.add(around);
                        ids.add(special(tok, "<row_" + (r + 1) + "_col_" + (c + 1) + ">"));
                        repeat(ids, image, k);
                    }
                }
            }
            ids.add(around);
            ids.add(global);
            repeat(ids, image, k);
            ids.add(around);
        }
        for (long id : tok.encode(text.substring(at + "<image>".length()), false)) {
            ids.add(id);
        }
        long[] arr = ids.stream().mapToLong(Long::longValue).toArray();
        float[] emb = decoder.embed(arr);
        int h = decoder.spec().hidden();
        int[] positions = new int[vision.count()];
        int v = 0;
        for (int i = 0; i < arr.length; i++) {
            if (arr[i] == image) {
                if (v >= vision.count()) {
                    throw new IllegalArgumentException("prompt has more image tokens than the " + vision.count() + " vision tokens");
                }
                System.arraycopy(vision.embeddings(), v * h, emb, i * h, h);
                positions[v++] = i;
            }
        }
        if (v != vision.count()) {
            throw new IllegalArgumentException("prompt placed " + v + " image tokens but there are " + vision.count() + " vision tokens");
        }
        return new Prompt(arr, emb, positions);
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
