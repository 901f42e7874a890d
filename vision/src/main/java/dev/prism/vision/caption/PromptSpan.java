package dev.prism.vision.caption;

import dev.prism.llm.vlm.Prompt;

/**
 * A caption prompt as MustDrop lays it out (ALGORITHMS.md 1.2: [S system][V vision][Tq text]). For LLaVA the vision
 * span is exactly the batch's tokens; for Idefics3/SmolVLM it also holds the tile markup
 * ({@code <fake_token_around_image>}, row/column and global-view tokens, newlines), which the pruning stages treat as
 * key tokens (never dropped) and leave out of every vision-token figure.
 *
 * @param markup      span-relative indices of the markup tokens, ascending
 * @param spanToBatch per span index, the batch token it holds, or -1 for markup
 */
record PromptSpan(Prompt prompt, int system, int span, int text, int[] markup, int[] spanToBatch) {
    static PromptSpan of(Prompt p, int system, int text) {
        int span = p.length() - system - text;
        int[] vp = p.visionPositions();
        CaptionException.check(span >= vp.length && (vp.length == 0 || vp[0] >= system && vp[vp.length - 1] < system
                + span), "the prompt must hold one <image> placeholder for the whole segment");
        int[] toBatch = new int[span];
        java.util.Arrays.fill(toBatch, -1);
        for (int i = 0; i < vp.length; i++) {
            toBatch[vp[i] - system] = i;
        }
        int[] markup = java.util.stream.IntStream.range(0, span).filter(i -> toBatch[i] < 0).toArray();
        return new PromptSpan(p, system, span, text, markup, toBatch);
    }

    /** Span-relative key set: the markup plus the batch's key tokens. */
    int[] keySet(int[] batchKeys) {
        int[] batchToSpan = new int[prompt.visionPositions().length];
        for (int i = 0; i < batchToSpan.length; i++) {
            batchToSpan[i] = prompt.visionPositions()[i] - system;
        }
        return java.util.stream.IntStream.concat(java.util.Arrays.stream(markup),
                java.util.Arrays.stream(batchKeys).map(k -> batchToSpan[k])).sorted().distinct().toArray();
    }
}
