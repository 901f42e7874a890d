package dev.prism.vision.caption;

import dev.prism.llm.model.VisionSpec;
import dev.prism.llm.vlm.VisionHook;
import dev.prism.llm.vlm.VisionLanguageModel;
import dev.prism.llm.vlm.VisionLayerState;
import dev.prism.llm.vlm.VisionTokens;
import dev.prism.llm.vlm.VisionTower;
import dev.prism.vision.pruning.KeyTokenSelector;
import dev.prism.vision.pruning.LocalWindowMerger;
import dev.prism.vision.pruning.MergeResult;
import dev.prism.vision.pruning.TemporalRedundancyFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * Step 1 of captioning, per segment (ALGORITHMS.md 1.1): each frame through the runtime's CLIP tower with a
 * {@link VisionHook} that applies MustDrop stage A (A1: window merge on layer 0's output, before layer 1 runs; A2: key
 * set from the last layer's CLS attention, top keyRate of the post-merge patches), then the projector; then the
 * temporal filter across the segment's frames.
 *
 * <p>The temporal filter ({@link TemporalRedundancyFilter}) compares tokens at the same grid position, but merged
 * tokens have no position (A1.6). Each frame is therefore laid out as a dense patch grid in which every patch holds
 * the projected token that covers it (a merged token covers its whole window); a token is dropped only when every
 * patch it covers is unchanged since its last kept version. Key tokens are never dropped (stage B relies on them).
 * The key layer is the tower's last one; when the runtime ran fewer layers (LLaVA stops one early) its attention is
 * computed from that layer's weights ({@link ClsAttention}), exactly.
 */
final class VisionStage {
    private final VisionLanguageModel vlm;
    private final CaptionOptions o;
    private final int modelId;
    private final VisionSpec spec;
    private final int run;
    private final ClsAttention keyAttention;

    VisionStage(VisionLanguageModel vlm, CaptionOptions o, int modelId) {
        this.vlm = vlm;
        this.o = o;
        this.modelId = modelId;
        VisionTower tower = vlm.visionTower();
        this.spec = tower.spec();
        this.run = tower.layerCount();
        CaptionException.check(!o.merge() || spec.grid() % o.mergeWindow() == 0, "stage A merging needs a patch grid "
                + "tiled by " + o.mergeWindow() + "x" + o.mergeWindow() + " windows, but " + vlm.checkpoint().dir()
                + " has a " + spec.grid() + "x" + spec.grid() + " grid: turn merge off in CaptionOptions");
        CaptionException.check(!o.keySet() || spec.hasCls(), "the stage A key set needs a CLS token, but "
                + vlm.checkpoint().dir() + " has a " + spec.modelType() + " tower without one: turn keySet off");
        CaptionException.check(!o.keySet() || run > 1 || spec.layers() > 1 || !o.merge(), "a one-layer tower cannot "
                + "merge after layer 0 and take the key set from that same layer: turn merge or keySet off");
        this.keyAttention = o.keySet() && run < spec.layers()
                ? new ClsAttention(spec, vlm.checkpoint().weights(), run) : null;
    }

    VisionBatch encode(List<Frame> frames) {
        CaptionException.check(frames != null && !frames.isEmpty(), "encode needs at least one frame of the segment");
        long start = System.nanoTime();
        List<float[][]> tokens = new ArrayList<>();
        List<StageA> stageA = new ArrayList<>();
        int hidden = 0;
        for (Frame f : frames) {
            CaptionException.check(f != null, "frame list holds null");
            StageA hook = new StageA();
            VisionTokens vt = vlm.encodeImage(f.rgb(), f.width(), f.height(), hook);
            hidden = vt.hidden();
            float[][] rows = new float[vt.count()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = java.util.Arrays.copyOfRange(vt.embeddings(), i * hidden, (i + 1) * hidden);
            }
            hook.lead = rows.length - hook.patchTokens();
            tokens.add(rows);
            stageA.add(hook);
        }
        boolean[][] keep = temporalKeep(tokens, stageA);
        List<VisionBatch.FrameFigures> figures = new ArrayList<>();
        List<Integer> keys = new ArrayList<>();
        int total = 0;
        for (boolean[] k : keep) {
            for (boolean b : k) {
                total += b ? 1 : 0;
            }
        }
        float[] emb = new float[total * hidden];
        int[] patchKeys = new int[total];
        int at = 0;
        for (int f = 0; f < frames.size(); f++) {
            StageA a = stageA.get(f);
            boolean[] isKey = a.keyMask(tokens.get(f).length);
            int kept = 0;
            int frameKeys = 0;
            for (int i = 0; i < keep[f].length; i++) {
                if (!keep[f][i]) {
                    continue;
                }
                if (isKey[i]) {
                    keys.add(at);
                    frameKeys++;
                }
                System.arraycopy(tokens.get(f)[i], 0, emb, at * hidden, hidden);
                patchKeys[at] = a.patchKey(i);
                at++;
                kept++;
            }
            figures.add(new VisionBatch.FrameFigures(frames.get(f).pts(), spec.patches(), a.patchTokens(), kept,
                    a.merge == null ? 0 : a.merge.mergedWindows(), frameKeys));
        }
        return new VisionBatch(modelId, vlm.isDemo(), hidden, emb, keys.stream().mapToInt(Integer::intValue).toArray(),
                figures, System.nanoTime() - start, java.util.List.of(), patchKeys);
    }

    /** keep[f][i]: whether token i of frame f survives the temporal filter. */
    private boolean[][] temporalKeep(List<float[][]> tokens, List<StageA> stageA) {
        boolean[][] keep = new boolean[tokens.size()][];
        for (int f = 0; f < keep.length; f++) {
            keep[f] = new boolean[tokens.get(f).length];
            java.util.Arrays.fill(keep[f], true);
        }
        if (!o.temporal() || tokens.size() < 2) {
            return keep;
        }
        List<float[][]> dense = new ArrayList<>();
        for (int f = 0; f < tokens.size(); f++) {
            float[][] grid = new float[spec.patches()][];
            StageA a = stageA.get(f);
            for (int i = 0; i < a.patchTokens(); i++) {
                for (int p : a.covered(i)) {
                    grid[p] = tokens.get(f)[a.lead + i];
                }
            }
            dense.add(grid);
        }
        int[][] keptSlots = new TemporalRedundancyFilter(o.temporalThreshold()).filter(dense).keptPerFrame();
        for (int f = 1; f < tokens.size(); f++) {
            StageA a = stageA.get(f);
            boolean[] changed = new boolean[spec.patches()];
            for (int p : keptSlots[f]) {
                changed[p] = true;
            }
            boolean[] isKey = a.keyMask(tokens.get(f).length);
            for (int i = 0; i < a.patchTokens(); i++) {
                boolean any = false;
                for (int p : a.covered(i)) {
                    any |= changed[p];
                }
                keep[f][a.lead + i] = any || isKey[a.lead + i];
            }
        }
        return keep;
    }

    /** The stage A hook for one frame; remembers the merge and the key set. */
    private final class StageA implements VisionHook {
        MergeResult merge;
        int[] keys = new int[0];
        int lead;

        @Override
        public boolean wantAttention(int layer) {
            return o.keySet() && keyAttention == null && layer == run - 1;
        }

        @Override
        public void afterLayer(VisionLayerState s) {
            if (s.layer() == 0 && o.merge()) {
                int d = s.hidden();
                float[][] rows = new float[s.count()][];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = java.util.Arrays.copyOfRange(s.tokens(), i * d, (i + 1) * d);
                }
                merge = new LocalWindowMerger(o.mergeWindow(), o.mergeThreshold())
                        .merge(rows, spec.hasCls(), spec.grid(), spec.grid());
                float[] flat = new float[merge.tokens().length * d];
                for (int i = 0; i < merge.tokens().length; i++) {
                    System.arraycopy(merge.tokens()[i], 0, flat, i * d, d);
                }
                s.replace(flat);
            }
            if (s.layer() == run - 1 && o.keySet()) {
                float[][] clsToPatch;
                if (keyAttention != null) {
                    clsToPatch = keyAttention.clsToPatches(s.tokens(), s.count());
                } else {
                    float[][] row0 = s.firstRowAttention();
                    clsToPatch = new float[row0.length][];
                    for (int h = 0; h < row0.length; h++) {
                        clsToPatch[h] = java.util.Arrays.copyOfRange(row0[h], 1, row0[h].length);
                    }
                }
                keys = new KeyTokenSelector(o.keyRate()).select(clsToPatch);
            }
        }

        int patchTokens() {
            return merge == null ? spec.patches() : merge.patchCount();
        }

        /** Grid patches covered by post-merge patch token i. */
        int[] covered(int i) {
            if (merge == null) {
                return new int[] {i};
            }
            int off = merge.hasCls() ? 1 : 0;
            int[] g = merge.groups()[i + off].clone();
            for (int j = 0; j < g.length; j++) {
                g[j] -= off;
            }
            return g;
        }

        /**
         * The image region projected token i stands for: a patch token's grid patch (a merged window's bottom-right
         * one, where MustDrop keeps it), lead tokens after the grid.
         */
        int patchKey(int i) {
            if (i < lead) {
                return spec.patches() + i;
            }
            int[] c = covered(i - lead);
            return java.util.Arrays.stream(c).max().orElse(i - lead);
        }

        /** Over the frame's projected tokens (lead tokens first). */
        boolean[] keyMask(int count) {
            boolean[] m = new boolean[count];
            for (int k : keys) {
                m[lead + k] = true;
            }
            return m;
        }
    }
}
