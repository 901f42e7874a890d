package dev.prism.vision.caption;

import dev.prism.llm.generate.CachePolicy;
import dev.prism.llm.generate.PrefillLayer;
import dev.prism.llm.kv.KvCache;
import dev.prism.llm.kv.LayerKv;
import dev.prism.llm.pruning.CacheLayout;
import dev.prism.llm.pruning.CachePlan;
import dev.prism.llm.pruning.CacheStep;
import dev.prism.llm.pruning.MustDropPrefill;
import dev.prism.llm.pruning.StepAttention;
import java.util.ArrayList;
import java.util.List;

/**
 * Adapts the pure pruning algorithms of {@code dev.prism.llm.pruning} to the runtime's generation hooks, as that
 * package's contract describes (ALGORITHMS.md 1.2-1.3, 2.2, 3.2-3.5). Prefill: probes the rows each algorithm needs
 * (all rows for Elastic Cache's column sums, the text rows at MustDrop layers, the last row for PLPHP), runs MustDrop
 * stage B and shortens the sequence with contiguous renumbering. After prefill: builds the cache layout and applies
 * the cache policies in the spec's order (MustDrop C, PLPHP, Elastic Cache), each seeing the attention and layout the
 * earlier ones left (attention to a merged entry is the sum of its members'), and records the KV bytes after each.
 * Decode: appends the token id to the layout and lets the policies evict (Elastic Cache's fixed point).
 */
final class PolicyBridge implements CachePolicy {
    private final MustDropPrefill mustDrop;
    private final List<dev.prism.llm.pruning.CachePolicy> policies;
    private final int text;
    private final boolean columnSums;
    private final boolean lastRow;
    private float[][][] sums;
    private float[][][] last;
    private CacheLayout layout;
    private final List<Long> bytesAfterPolicy = new ArrayList<>();
    private long bytesBeforePolicies;
    private boolean changed;
    private float[] lastHidden;
    private KvCache cache;

    /**
     * @param mustDrop stage B, or null
     * @param policies cache policies in application order (may be empty)
     * @param text     Tq: tokens after the vision span (never pruned)
     */
    PolicyBridge(MustDropPrefill mustDrop, List<dev.prism.llm.pruning.CachePolicy> policies, int text, int layers) {
        this.mustDrop = mustDrop;
        this.policies = List.copyOf(policies);
        this.text = text;
        boolean cs = false;
        boolean lr = false;
        for (dev.prism.llm.pruning.CachePolicy p : policies) {
            cs |= p.needs(true).contains(dev.prism.llm.pruning.CachePolicy.Need.COLUMN_SUMS);
            lr |= p.needs(true).contains(dev.prism.llm.pruning.CachePolicy.Need.LAST_ROW);
        }
        this.columnSums = cs;
        this.lastRow = lr;
        this.sums = new float[layers][][];
        this.last = new float[layers][][];
    }

    @Override
    public int[] prefillProbeRows(int layer, int seqLen) {
        int from;
        if (columnSums) {
            from = 0;
        } else if (mustDrop != null && mustDrop.needsTextAttention(layer)) {
            from = seqLen - text;
        } else if (lastRow) {
            from = seqLen - 1;
        } else {
            return null;
        }
        int[] rows = new int[seqLen - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        return rows;
    }

    @Override
    public void afterPrefillLayer(PrefillLayer ctx) {
        int l = ctx.layer();
        if (l == sums.length - 1) {
            int w = ctx.hidden().length / ctx.seqLen();
            lastHidden = java.util.Arrays.copyOfRange(ctx.hidden(), ctx.hidden().length - w, ctx.hidden().length);
        }
        float[][][] probs = ctx.probs();
        if (probs == null) {
            return;
        }
        int rows = probs[0].length;
        if (columnSums) {
            sums[l] = new float[probs.length][];
            for (int h = 0; h < probs.length; h++) {
                double[] acc = new double[probs[h][0].length];
                for (float[] row : probs[h]) {
                    for (int j = 0; j < acc.length; j++) {
                        acc[j] += row[j];
                    }
                }
                sums[l][h] = new float[acc.length];
                for (int j = 0; j < acc.length; j++) {
                    sums[l][h][j] = (float) acc[j];
                }
            }
        }
        if (lastRow) {
            last[l] = new float[probs.length][];
            for (int h = 0; h < probs.length; h++) {
                last[l][h] = probs[h][rows - 1];
            }
        }
        if (mustDrop != null && mustDrop.needsTextAttention(l)) {
            float[][][] textRows = new float[probs.length][][];
            for (int h = 0; h < probs.length; h++) {
                textRows[h] = java.util.Arrays.copyOfRange(probs[h], rows - text, rows);
            }
            int[] map = mustDrop.afterLayer(l, textRows);
            if (map != null) {
                ctx.keepTokens(map, true);
            }
        }
    }

    @Override
    public void afterPrefill(KvCache cache, long tokensSeen) {
        int layers = cache.layers();
        int kvHeads = cache.layer(0).kvHeads();
        layout = mustDrop != null ? mustDrop.prefillCacheLayout(layers, kvHeads)
                : CacheLayout.uniform(layers, kvHeads, (int) tokensSeen);
        for (int l = 0; l < layers; l++) {
            CaptionException.check(layout.length(l, 0) == cache.layer(l).length(0), "internal: layer " + l
                    + " caches " + cache.layer(l).length(0) + " entries, the layout expects " + layout.length(l, 0));
        }
        this.cache = cache;
        bytesBeforePolicies = cache.bytes();
        StepAttention att = new CollectedAttention(sums, last);
        for (dev.prism.llm.pruning.CachePolicy p : policies) {
            CachePlan plan = p.afterStep(new CacheStep(true, (int) tokensSeen, layout, att));
            if (!plan.isEmpty()) {
                apply(plan, cache);
                att = new CollectedAttention(remap(plan, sums, kvHeads), remap(plan, last, kvHeads));
                sums = ((CollectedAttention) att).sums;
                last = ((CollectedAttention) att).last;
                layout = plan.apply(layout);
            }
            bytesAfterPolicy.add(cache.bytes());
        }
        sums = null;
        last = null;
        if (changed) {
            cache.compact();
        }
    }

    @Override
    public void afterDecodeStep(int step, KvCache cache, long tokensSeen) {
        if (policies.isEmpty()) {
            return;
        }
        layout.append((int) tokensSeen - 1);
        boolean any = false;
        for (dev.prism.llm.pruning.CachePolicy p : policies) {
            CachePlan plan = p.afterStep(new CacheStep(false, (int) tokensSeen, layout, StepAttention.NONE));
            if (!plan.isEmpty()) {
                apply(plan, cache);
                layout = plan.apply(layout);
                any = true;
            }
        }
        if (any) {
            cache.compact();
        }
    }

    /** A plan onto the runtime's cache: gather each lane to the plan's sources, then write the merged entries. */
    private void apply(CachePlan plan, KvCache cache) {
        for (int l = 0; l < cache.layers(); l++) {
            if (!plan.changes(l)) {
                continue;
            }
            LayerKv kv = cache.layer(l);
            for (int h = 0; h < kv.kvHeads(); h++) {
                int n = kv.length(h);
                int[] src = plan.sources(l, h, n);
                boolean[] merged = plan.isMerged(l, h, n);
                float[][] outK = null;
                float[][] outV = null;
                for (boolean m : merged) {
                    if (m) {
                        float[][] k = new float[n][];
                        float[][] v = new float[n][];
                        for (int i = 0; i < n; i++) {
                            k[i] = kv.key(h, i);
                            v[i] = kv.value(h, i);
                        }
                        outK = plan.apply(l, h, k);
                        outV = plan.apply(l, h, v);
                        break;
                    }
                }
                kv.gather(h, src);
                changed = true;
                for (int i = 0; outK != null && i < merged.length; i++) {
                    if (merged[i]) {
                        kv.replace(h, i, outK[i], outV[i]);
                    }
                }
            }
        }
    }

    /** Attention through a plan: each output entry carries the sum over its group (as CompositeCachePolicy does). */
    private static float[][][] remap(CachePlan plan, float[][][] perLayer, int kvHeads) {
        float[][][] out = new float[perLayer.length][][];
        for (int l = 0; l < perLayer.length; l++) {
            if (perLayer[l] == null || !plan.changes(l)) {
                out[l] = perLayer[l];
                continue;
            }
            out[l] = plan.carryAttention(l, perLayer[l], kvHeads);
        }
        return out;
    }

    /** The last layer's output at the last prompt row (text is never pruned, so this row always survives). */
    float[] lastHidden() {
        return lastHidden;
    }

    /** Length of the sequence after the last stage B cut; positions are renumbered, so the next one is this. */
    int finalSequenceLength(int promptLength) {
        return mustDrop == null ? promptLength : mustDrop.layout().length();
    }

    /** The runtime's cache of this request, as handed over after prefill. */
    KvCache cache() {
        return cache;
    }

    MustDropPrefill mustDrop() {
        return mustDrop;
    }

    /** Cache bytes (float32 K and V) right after prefill, before any cache policy. */
    long bytesBeforePolicies() {
        return bytesBeforePolicies;
    }

    /** Cache bytes after each policy, in order. */
    List<Long> bytesAfterPolicy() {
        return List.copyOf(bytesAfterPolicy);
    }

    /** The attention summaries collected during prefill. */
    private static final class CollectedAttention implements StepAttention {
        final float[][][] sums;
        final float[][][] last;

        CollectedAttention(float[][][] sums, float[][][] last) {
            this.sums = sums;
            this.last = last;
        }

        @Override
        public float[][] columnSums(int layer) {
            CaptionException.check(sums != null && sums[layer] != null, "internal: no column sums for layer " + layer);
            return sums[layer];
        }

        @Override
        public float[][] lastRow(int layer) {
            CaptionException.check(last != null && last[layer] != null, "internal: no last row for layer " + layer);
            return last[layer];
        }
    }
}
