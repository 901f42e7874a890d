package dev.prism.vision.caption;

/**
 * One segment's caption.
 *
 * @param text            the caption (a stop token ends it and is not part of it)
 * @param tokens          the caption's token ids
 * @param sampledIds      every sampled id, a final stop token included (the conversation continues after it)
 * @param demo            true when the checkpoint was generated (random weights): label the output as demo
 * @param figures         token counts, FLOPs, KV bytes and timings
 * @param context         the encoded conversation state for {@link Captioner#answer}
 * @param stageBSurvivors per stage B layer, the surviving vision tokens as indices into the batch's tokens
 */
public record CaptionResult(String text, long[] tokens, long[] sampledIds, boolean demo, CaptionFigures figures,
        byte[] context, int[][] stageBSurvivors) {
}
