package dev.prism.codecs.cachegen;

/**
 * A video prompt's token layout: {@code frames} frames of {@code patchesPerFrame} vision tokens each, in raster
 * (frame-major) order from token {@code start}. Its permutation puts the same patch of consecutive frames next to each
 * other (patch-major) and leaves the tokens outside the block in place, so delta-vs-anchor groups (ALGORITHMS.md 4.5)
 * can anchor on the same patch one frame earlier instead of on the neighbouring patch. The decoder needs only these
 * three numbers to invert it.
 */
public record TokenOrder(int start, int frames, int patchesPerFrame) implements TokenLayout {
    public TokenOrder {
        CacheGenException.check(start >= 0 && frames >= 1 && patchesPerFrame >= 1, "token layout start " + start
                + ", frames " + frames + ", patches per frame " + patchesPerFrame + ": need start >= 0 and positive counts");
    }

    static int[] identity(int tokens) {
        int[] p = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            p[i] = i;
        }
        return p;
    }

    /**
     * The coded position whose token anchors coded position {@code pos} in delta groups of {@code g} (pos itself for
     * an anchor): groups start at the chunk's first token and, with a layout, at each patch's run of frames and at the
     * tokens after the vision block, so a patch's anchor is that patch in an earlier frame, never a neighbour patch.
     */
    static int anchor(TokenOrder layout, int pos, int chunkStart, int g) {
        int run = 0;
        if (layout != null) {
            int end = layout.start + layout.frames * layout.patchesPerFrame;
            if (pos >= end) {
                run = end;
            } else if (pos >= layout.start) {
                run = layout.start + (pos - layout.start) / layout.frames * layout.frames;
            }
        }
        run = Math.max(run, chunkStart);
        return run + (pos - run) / g * g;
    }

    /** order[i] = the original token coded at position i. */
    int[] permutation(int tokens) {
        CacheGenException.check(start + (long) frames * patchesPerFrame <= tokens, "token layout " + this
                + " runs past the cache's " + tokens + " tokens");
        int[] p = identity(tokens);
        int i = start;
        for (int patch = 0; patch < patchesPerFrame; patch++) {
            for (int f = 0; f < frames; f++) {
                p[i++] = start + f * patchesPerFrame + patch;
            }
        }
        return p;
    }
}
