package dev.prism.vision.caption;

import dev.prism.llm.vlm.ImageLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The vision stage's output for one segment: the projected vision tokens that survived MustDrop stage A and the
 * temporal filter (frames in order, each frame's tokens in MustDrop's post-merge order), the key set as indices into
 * this token sequence (ALGORITHMS.md 1.1 A2, with per-frame offsets), and per-frame figures. {@link #toBytes()} is a
 * compact versioned binary form (tokens as float32, so captions from a stored batch equal captions from the original)
 * for the media store between the vision and vlm stages.
 *
 * @param modelId     CRC-32 of the checkpoint's config.json and tokenizer size; the vlm stage checks it
 * @param hidden      decoder hidden size (values per token)
 * @param embeddings  [count * hidden] projected tokens
 * @param keySet      ascending indices into the tokens that stage B must never drop
 * @param encodeNanos wall time of the vision stage
 * @param layouts     per frame, its Idefics3 tile layout after pruning (empty for LLaVA: one block of tokens)
 * @param patchKeys   per token, the image region it stands for: its frame-relative grid patch (a merged window's
 *                    bottom-right patch), so tokens of different frames with the same key show the same region; the
 *                    cached context codes them as one delta run ({@code TokenRuns}). Null when unknown (older batches).
 */
public record VisionBatch(int modelId, boolean demo, int hidden, float[] embeddings, int[] keySet,
        List<FrameFigures> frames, long encodeNanos, List<ImageLayout> layouts, int[] patchKeys) {
    static final byte[] MAGIC = "PVBA".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 3;

    /**
     * Per-frame token counts.
     *
     * @param patches       patch tokens out of the tower before stage A (CLS excluded)
     * @param afterMerge    after the window merge: patches - (window^2 - 1) * mergedWindows
     * @param afterTemporal after the temporal filter (what this frame contributes to the batch)
     * @param keys          key tokens of this frame (all survive the temporal filter)
     */
    public record FrameFigures(double pts, int patches, int afterMerge, int afterTemporal, int mergedWindows,
            int keys) {
    }

    public VisionBatch {
        CaptionException.check(hidden > 0 && embeddings != null && embeddings.length % hidden == 0, "vision batch "
                + "embeddings must be count * hidden (" + hidden + ") floats");
        CaptionException.check(frames != null && !frames.isEmpty(), "a vision batch needs at least one frame");
        int count = embeddings.length / hidden;
        int sum = frames.stream().mapToInt(FrameFigures::afterTemporal).sum();
        CaptionException.check(sum == count, "frame figures account for " + sum + " tokens, the batch holds " + count);
        for (int i = 0; i < keySet.length; i++) {
            CaptionException.check(keySet[i] >= 0 && keySet[i] < count && (i == 0 || keySet[i] > keySet[i - 1]),
                    "key set must be ascending indices below " + count + "; got " + keySet[i] + " at " + i);
        }
        frames = List.copyOf(frames);
        layouts = layouts == null ? List.of() : List.copyOf(layouts);
        CaptionException.check(layouts.isEmpty() || layouts.size() == frames.size(), layouts.size()
                + " tile layouts for " + frames.size() + " frames: give one per frame or none");
        for (int f = 0; f < layouts.size(); f++) {
            CaptionException.check(layouts.get(f).count() == frames.get(f).afterTemporal(), "frame " + f
                    + "'s tile layout holds " + layouts.get(f).count() + " tokens, its figures "
                    + frames.get(f).afterTemporal());
        }
        CaptionException.check(patchKeys == null || patchKeys.length == count, "vision batch has "
                + (patchKeys == null ? 0 : patchKeys.length) + " patch keys for " + count + " tokens");
        if (patchKeys != null) {
            for (int k : patchKeys) {
                CaptionException.check(k >= 0, "vision batch patch key " + k + " is negative");
            }
        }
    }

    /** A batch without patch keys. */
    public VisionBatch(int modelId, boolean demo, int hidden, float[] embeddings, int[] keySet,
            List<FrameFigures> frames, long encodeNanos, List<ImageLayout> layouts) {
        this(modelId, demo, hidden, embeddings, keySet, frames, encodeNanos, layouts, null);
    }

    /** A LLaVA batch: each frame's tokens form one block. */
    public VisionBatch(int modelId, boolean demo, int hidden, float[] embeddings, int[] keySet,
            List<FrameFigures> frames, long encodeNanos) {
        this(modelId, demo, hidden, embeddings, keySet, frames, encodeNanos, List.of(), null);
    }

    /** Whether the frames are Idefics3 tiled images (markup tokens around each tile). */
    public boolean tiled() {
        return !layouts.isEmpty();
    }

    VisionBatch withDemo(boolean d) {
        return new VisionBatch(modelId, d, hidden, embeddings, keySet, frames, encodeNanos, layouts, patchKeys);
    }

    public int count() {
        return embeddings.length / hidden;
    }

    /** Patch tokens of all frames before stage A. */
    public int tokensBeforeStageA() {
        return frames.stream().mapToInt(FrameFigures::patches).sum();
    }

    public int tokensAfterStageA() {
        return frames.stream().mapToInt(FrameFigures::afterMerge).sum();
    }

    public int tokensAfterTemporal() {
        return count();
    }

    /**
     * Compact binary form: magic "PVBA", version, header, frame figures, tile layouts, key set, patch keys (u8 flag,
     * then one int32 per token), float32 tokens, CRC-32.
     */
    public byte[] toBytes() {
        Bytes.Out o = new Bytes.Out().put(MAGIC).u8(VERSION).u8(demo ? 1 : 0).i32(modelId).i32(hidden).i32(count())
                .i64(encodeNanos).i32(frames.size());
        for (FrameFigures f : frames) {
            o.f64(f.pts()).i32(f.patches()).i32(f.afterMerge()).i32(f.afterTemporal()).i32(f.mergedWindows())
                    .i32(f.keys());
        }
        o.i32(layouts.size());
        for (ImageLayout l : layouts) {
            o.i32(l.rows()).i32(l.cols()).u8(l.hasGlobal() ? 1 : 0).i32(l.tileTokens().length).ints(l.tileTokens());
        }
        o.i32(keySet.length).ints(keySet).u8(patchKeys == null ? 0 : 1);
        if (patchKeys != null) {
            o.ints(patchKeys);
        }
        return o.floats(embeddings).finishWithCrc();
    }

    /** Reads {@link #toBytes()} output; a clear {@link CaptionException} names what is truncated or corrupt. */
    public static VisionBatch fromBytes(byte[] data) {
        Bytes in = new Bytes(data, "vision batch");
        in.magic(MAGIC);
        int version = in.u8("the version");
        CaptionException.check(version >= 1 && version <= VERSION, "vision batch version " + version + " is not supported (this "
                + "build reads version " + VERSION + "): re-run the vision stage");
        boolean demo = (in.u8("the flags") & 1) != 0;
        int modelId = in.i32("the model id");
        int hidden = in.count("the hidden size", 1 << 16);
        CaptionException.check(hidden > 0, "vision batch hidden size is 0: the data is corrupt");
        int count = in.count("the token count", Integer.MAX_VALUE / 4 / hidden);
        long nanos = in.i64("the encode time");
        int nFrames = in.count("the frame count", 1 << 20);
        List<FrameFigures> frames = new ArrayList<>();
        for (int f = 0; f < nFrames; f++) {
            String at = "frame " + f + "'s figures";
            frames.add(new FrameFigures(in.f64(at), in.i32(at), in.i32(at), in.i32(at), in.i32(at), in.i32(at)));
        }
        List<ImageLayout> layouts = new ArrayList<>();
        int nLayouts = version == 1 ? 0 : in.count("the tile layout count", nFrames);
        for (int f = 0; f < nLayouts; f++) {
            String at = "frame " + f + "'s tile layout";
            int rows = in.count(at, 64);
            int cols = in.count(at, 64);
            boolean global = in.u8(at) != 0;
            int tiles = in.count(at, 64 * 64 + 1);
            try {
                layouts.add(new ImageLayout(rows, cols, global, in.ints(tiles, at)));
            } catch (IllegalArgumentException e) {
                throw new CaptionException("vision batch " + at + " is invalid (" + e.getMessage() + "): corrupt data");
            }
        }
        int keys = in.count("the key count", count);
        int[] keySet = in.ints(keys, "the key set");
        int[] patchKeys = version >= 3 && in.u8("the patch key flag") != 0 ? in.ints(count, "the patch keys") : null;
        float[] emb = in.floats(count * hidden, "the token embeddings (" + count + " x " + hidden + " floats)");
        in.crcTrailer(data);
        return new VisionBatch(modelId, demo, hidden, emb, keySet, frames, nanos, layouts, patchKeys);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VisionBatch b && modelId == b.modelId && demo == b.demo && hidden == b.hidden
                && encodeNanos == b.encodeNanos && Arrays.equals(embeddings, b.embeddings)
                && Arrays.equals(keySet, b.keySet) && frames.equals(b.frames) && layouts.equals(b.layouts)
                && Arrays.equals(patchKeys, b.patchKeys);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(embeddings) * 31 + Arrays.hashCode(keySet);
    }

    @Override
    public String toString() {
        return "VisionBatch[" + frames.size() + " frames, tokens " + tokensBeforeStageA() + " -> A " + tokensAfterStageA()
                + " -> temporal " + count() + ", " + keySet.length + " keys, demo=" + demo + "]";
    }
}
