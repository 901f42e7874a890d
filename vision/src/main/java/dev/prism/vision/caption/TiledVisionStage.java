package dev.prism.vision.caption;

import dev.prism.llm.model.VisionSpec;
import dev.prism.llm.vlm.ImageLayout;
import dev.prism.llm.vlm.VisionHook;
import dev.prism.llm.vlm.VisionLanguageModel;
import dev.prism.llm.vlm.VisionLayerState;
import dev.prism.llm.vlm.VisionTokens;
import dev.prism.vision.pruning.KeyTokenSelector;
import dev.prism.vision.pruning.LocalWindowMerger;
import dev.prism.vision.pruning.MergeResult;
import dev.prism.vision.pruning.TemporalRedundancyFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Step 1 of captioning for Idefics3/SmolVLM checkpoints (ALGORITHMS.md 1.1 adapted): each frame is split and encoded
 * as the model does it (tiles plus the global view, SigLIP tower, pixel-shuffle projector), then MustDrop stage A runs
 * on every tile's projected token grid, then the temporal filter across the segment's frames.
 *
 * <p>Two deviations from the LLaVA reference, both forced by the architecture and flagged here: (1) A1 merges the
 * projected tokens of each tile (grid side = vision grid / scale factor), not the output of ViT layer 0, because the
 * pixel shuffle needs the tower's full patch grid; windows that do not fit at the grid's edge stay unmerged
 * ({@link LocalWindowMerger#coveringFullWindows}). (2) SigLIP has no CLS token, so A2 scores each patch by the
 * attention it receives in the last layer (mean over heads and queries), sums the scores of the scale x scale patches
 * that the pixel shuffle packs into one token, and a merged token takes the mean of its members; the key set is the top
 * ceil(keyRate * n) tokens of each tile. Key tokens are never dropped by the temporal filter, which compares tokens at
 * the same (tile, grid) slot and needs every frame of the segment to have the same tiling (otherwise it keeps all).
 */
final class TiledVisionStage {
    private final VisionLanguageModel vlm;
    private final CaptionOptions o;
    private final int modelId;
    private final VisionSpec spec;
    private final int run;

    TiledVisionStage(VisionLanguageModel vlm, CaptionOptions o, int modelId) {
        this.vlm = vlm;
        this.o = o;
        this.modelId = modelId;
        this.spec = vlm.visionTower().spec();
        this.run = vlm.visionTower().layerCount();
    }

    /** One frame after stage A: tokens per tile, the projected slots each covers, its key tokens. */
    private record FrameA(VisionTokens raw, List<float[][]> tiles, List<int[][]> covered, int[] keys, int merged) {
        int count() {
            return tiles.stream().mapToInt(t -> t.length).sum();
        }
    }

    VisionBatch encode(List<Frame> frames) {
        CaptionException.check(frames != null && !frames.isEmpty(), "encode needs at least one frame of the segment");
        long start = System.nanoTime();
        List<FrameA> stageA = new ArrayList<>();
        for (Frame f : frames) {
            CaptionException.check(f != null, "frame list holds null");
            stageA.add(stageA(f));
        }
        boolean[][] keep = temporalKeep(stageA);
        int hidden = stageA.get(0).raw().hidden();
        List<VisionBatch.FrameFigures> figures = new ArrayList<>();
        List<ImageLayout> layouts = new ArrayList<>();
        List<Integer> keys = new ArrayList<>();
        List<float[]> kept = new ArrayList<>();
        List<Integer> patchKeys = new ArrayList<>();
        for (int f = 0; f < frames.size(); f++) {
            FrameA a = stageA.get(f);
            boolean[] isKey = new boolean[a.count()];
            for (int k : a.keys()) {
                isKey[k] = true;
            }
            int[] perTile = new int[a.tiles().size()];
            int i = 0;
            int frameKeys = 0;
            for (int t = 0; t < a.tiles().size(); t++) {
                for (int j = 0; j < a.tiles().get(t).length; j++) {
                    float[] row = a.tiles().get(t)[j];
                    if (keep[f][i]) {
                        // the frame-relative projected slot it stands for (a merged window's last one)
                        patchKeys.add(Arrays.stream(a.covered().get(t)[j]).max().orElse(i));
                        if (isKey[i]) {
                            keys.add(kept.size());
                            frameKeys++;
                        }
                        kept.add(row);
                        perTile[t]++;
                    }
                    i++;
                }
            }
            VisionTokens raw = a.raw();
            layouts.add(new ImageLayout(raw.hasGlobal() ? raw.rows() : 1, raw.hasGlobal() ? raw.cols() : 1,
                    raw.hasGlobal(), perTile));
            figures.add(new VisionBatch.FrameFigures(frames.get(f).pts(), raw.count(), a.count(),
                    Arrays.stream(perTile).sum(), a.merged(), frameKeys));
        }
        float[] emb = new float[kept.size() * hidden];
        for (int i = 0; i < kept.size(); i++) {
            System.arraycopy(kept.get(i), 0, emb, i * hidden, hidden);
        }
        return new VisionBatch(modelId, vlm.isDemo(), hidden, emb, keys.stream().mapToInt(Integer::intValue).toArray(),
                figures, System.nanoTime() - start, layouts, patchKeys.stream().mapToInt(Integer::intValue).toArray());
    }

    private FrameA stageA(Frame f) {
        List<float[]> attention = new ArrayList<>();
        VisionHook hook = new VisionHook() {
            @Override
            public boolean wantAttention(int layer) {
                return o.keySet() && layer == run - 1;
            }

            @Override
            public void afterLayer(VisionLayerState s) {
                if (o.keySet() && s.layer() == run - 1) {
                    attention.add(s.meanAttention());
                }
            }
        };
        VisionTokens vt = vlm.encodeImage(f.rgb(), f.width(), f.height(), hook);
        int k = vt.tokensPerTile();
        int g = (int) Math.round(Math.sqrt(k));
        CaptionException.check(g * g == k && spec.grid() % g == 0, "tiles of " + k + " projected tokens are not a "
                + "square grid that divides the vision grid " + spec.grid() + ": the checkpoint's scale_factor does "
                + "not fit its image and patch size");
        int scale = spec.grid() / g;
        int h = vt.hidden();
        int tiles = vt.count() / k;
        List<float[][]> out = new ArrayList<>();
        List<int[][]> covered = new ArrayList<>();
        List<Integer> keys = new ArrayList<>();
        int merged = 0;
        int offset = 0;
        LocalWindowMerger merger = new LocalWindowMerger(o.mergeWindow(), o.mergeThreshold()).coveringFullWindows();
        for (int t = 0; t < tiles; t++) {
            float[][] rows = new float[k][];
            for (int i = 0; i < k; i++) {
                rows[i] = Arrays.copyOfRange(vt.embeddings(), (t * k + i) * h, (t * k + i + 1) * h);
            }
            int[][] groups = new int[k][];
            for (int i = 0; i < k; i++) {
                groups[i] = new int[] {i};
            }
            if (o.merge() && g >= o.mergeWindow()) {
                MergeResult m = merger.merge(rows, false, g, g);
                rows = m.tokens();
                groups = m.groups();
                merged += m.mergedWindows();
            }
            if (o.keySet()) {
                float[] perToken = shuffledScores(attention.get(t), g, scale);
                float[] score = new float[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    double s = 0;
                    for (int p : groups[i]) {
                        s += perToken[p];
                    }
                    score[i] = (float) (s / groups[i].length);
                }
                for (int key : new KeyTokenSelector(o.keyRate()).select(new float[][] {score})) {
                    keys.add(offset + key);
                }
            }
            int[][] slots = new int[groups.length][];
            for (int i = 0; i < groups.length; i++) {
                slots[i] = groups[i].clone();
                for (int j = 0; j < slots[i].length; j++) {
                    slots[i][j] += t * k;
                }
            }
            out.add(rows);
            covered.add(slots);
            offset += rows.length;
        }
        return new FrameA(vt, out, covered, keys.stream().mapToInt(Integer::intValue).toArray(), merged);
    }

    /** Per projected token of a g x g tile, the summed attention of the scale x scale patches the shuffle packs in it. */
    private float[] shuffledScores(float[] patchAttention, int g, int scale) {
        int grid = g * scale;
        CaptionException.check(patchAttention != null && patchAttention.length == grid * grid, "the last vision "
                + "layer's attention covers " + (patchAttention == null ? 0 : patchAttention.length) + " tokens, the "
                + "grid has " + grid * grid);
        float[] out = new float[g * g];
        for (int y = 0; y < grid; y++) {
            for (int x = 0; x < grid; x++) {
                out[(y / scale) * g + x / scale] += patchAttention[y * grid + x];
            }
        }
        return out;
    }

    /** keep[f][i]: whether post-merge token i of frame f survives the temporal filter. */
    private boolean[][] temporalKeep(List<FrameA> frames) {
        boolean[][] keep = new boolean[frames.size()][];
        for (int f = 0; f < keep.length; f++) {
            keep[f] = new boolean[frames.get(f).count()];
            Arrays.fill(keep[f], true);
        }
        int slots = frames.get(0).raw().count();
        boolean sameTiling = frames.stream().allMatch(a -> a.raw().count() == slots
                && a.raw().rows() == frames.get(0).raw().rows() && a.raw().cols() == frames.get(0).raw().cols());
        if (!o.temporal() || frames.size() < 2 || !sameTiling) {
            return keep;
        }
        List<float[][]> dense = new ArrayList<>();
        for (FrameA a : frames) {
            float[][] grid = new float[slots][];
            for (int t = 0; t < a.tiles().size(); t++) {
                for (int i = 0; i < a.tiles().get(t).length; i++) {
                    for (int s : a.covered().get(t)[i]) {
                        grid[s] = a.tiles().get(t)[i];
                    }
                }
            }
            dense.add(grid);
        }
        int[][] keptSlots = new TemporalRedundancyFilter(o.temporalThreshold()).filter(dense).keptPerFrame();
        for (int f = 1; f < frames.size(); f++) {
            FrameA a = frames.get(f);
            boolean[] changed = new boolean[slots];
            for (int s : keptSlots[f]) {
                changed[s] = true;
            }
            boolean[] isKey = new boolean[a.count()];
            for (int k : a.keys()) {
                isKey[k] = true;
            }
            int i = 0;
            for (int t = 0; t < a.tiles().size(); t++) {
                for (int[] cover : a.covered().get(t)) {
                    boolean any = false;
                    for (int s : cover) {
                        any |= changed[s];
                    }
                    keep[f][i] = any || isKey[i];
                    i++;
                }
            }
        }
        return keep;
    }
}
