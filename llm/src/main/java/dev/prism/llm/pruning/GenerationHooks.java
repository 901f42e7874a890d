package dev.prism.llm.pruning;

import dev.prism.llm.generate.PrefillLayer;
import dev.prism.llm.kv.KvCache;
import dev.prism.llm.kv.LayerKv;
import java.util.Set;

/**
 * Wires the pruning library into the runtime's generation loop ({@link dev.prism.llm.generate.CachePolicy}): MustDrop
 * stage B during prefill (text rows probed at its layers, survivors kept with contiguous renumbering), then one
 * {@link CachePolicy} (usually a {@link CompositeCachePolicy}) after prefill and after every decode step, its plans
 * applied to the runtime's {@link LayerKv} storage. Policies that need prefill column sums (Elastic Cache, H2O) make
 * every prefill row a probe row, which holds [heads][L][L] probabilities per layer: affordable for short prompts only,
 * until the runtime can return column sums directly.
 */
public final class GenerationHooks implements dev.prism.llm.generate.CachePolicy {
    private final MustDropPrefill prefill;
    private final CachePolicy policy;
    private final int layers;
    private final int kvHeads;
    private final float[][][] columnSums;
    private final float[][][] lastRows;
    private CacheLayout layout;

    /**
     * @param prefill MustDrop stage B for this request, or null for none
     * @param policy  the cache policy for this request (e.g. stage C, PLPHP and Elastic composed); one per request
     */
    public GenerationHooks(MustDropPrefill prefill, CachePolicy policy, int layers, int kvHeads) {
        this.prefill = prefill;
        this.policy = policy == null ? CachePolicy.full() : policy;
        this.layers = layers;
        this.kvHeads = kvHeads;
        this.columnSums = new float[layers][][];
        this.lastRows = new float[layers][][];
    }

    /** The token ids each lane holds now (for KV byte reports). */
    public CacheLayout layout() {
        return layout;
    }

    @Override
    public int[] prefillProbeRows(int layer, int seqLen) {
        Set<CachePolicy.Need> needs = policy.needs(true);
        if (needs.contains(CachePolicy.Need.COLUMN_SUMS)) {
            return range(0, seqLen);
        }
        if (prefill != null && prefill.needsTextAttention(layer)) {
            return range(prefill.layout().visionEnd(), seqLen);
        }
        return needs.contains(CachePolicy.Need.LAST_ROW) ? new int[] {seqLen - 1} : null;
    }

    @Override
    public void afterPrefillLayer(PrefillLayer ctx) {
        int l = ctx.layer();
        float[][][] probs = ctx.probs();
        int[] rows = ctx.probeRows();
        if (probs == null || rows == null) {
            return;
        }
        Set<CachePolicy.Need> needs = policy.needs(true);
        if (needs.contains(CachePolicy.Need.COLUMN_SUMS)) {
            columnSums[l] = new float[probs.length][];
            for (int h = 0; h < probs.length; h++) {
                float[] s = new float[ctx.seqLen()];
                for (float[] row : probs[h]) {
                    for (int j = 0; j < s.length; j++) {
                        s[j] += row[j];
                    }
                }
                columnSums[l][h] = s;
            }
        }
        lastRows[l] = new float[probs.length][];
        for (int h = 0; h < probs.length; h++) {
            lastRows[l][h] = probs[h][rows.length - 1];
        }
        if (prefill != null && prefill.needsTextAttention(l)) {
            SequenceLayout s = prefill.layout();
            float[][][] text = new float[probs.length][s.text()][];
            int first = java.util.Arrays.binarySearch(rows, s.visionEnd());
            for (int h = 0; h < probs.length; h++) {
                for (int t = 0; t < s.text(); t++) {
                    text[h][t] = probs[h][first + t];
                }
            }
            int[] keep = prefill.afterLayer(l, text);
            if (keep != null) {
                ctx.keepTokens(keep, true);
            }
        }
    }

    @Override
    public void afterPrefill(KvCache cache, long tokensSeen) {
        layout = prefill != null ? prefill.prefillCacheLayout(layers, kvHeads)
                : CacheLayout.uniform(layers, kvHeads, cache.layer(0).length(0));
        StepAttention attention = new StepAttention() {
            @Override
            public float[][] columnSums(int layer) {
                return columnSums[layer];
            }

            @Override
            public float[][] lastRow(int layer) {
                return lastRows[layer];
            }
        };
        apply(policy.afterStep(new CacheStep(true, (int) tokensSeen, layout, attention)), cache);
    }

    @Override
    public boolean probeDecode(int layer) {
        return !policy.needs(false).isEmpty();
    }

    @Override
    public void afterDecodeLayer(int step, int layer, float[][][] probs, LayerKv kv) {
        if (probs != null) {
            float[][] row = new float[probs.length][];
            for (int h = 0; h < probs.length; h++) {
                row[h] = probs[h][0];
            }
            lastRows[layer] = row;
            columnSums[layer] = row; // one query row: its column sums are the row itself
        }
    }

    @Override
    public void afterDecodeStep(int step, KvCache cache, long tokensSeen) {
        layout.append((int) tokensSeen - 1);
        StepAttention attention = new StepAttention() {
            @Override
            public float[][] columnSums(int layer) {
                return columnSums[layer];
            }

            @Override
            public float[][] lastRow(int layer) {
                return lastRows[layer];
            }
        };
        apply(policy.afterStep(new CacheStep(false, (int) tokensSeen, layout, attention)), cache);
    }

    private void apply(CachePlan plan, KvCache cache) {
        if (plan.isEmpty()) {
            return;
        }
        for (int l = 0; l < layers; l++) {
            if (!plan.changes(l)) {
                continue;
            }
            LayerKv kv = cache.layer(l);
            for (int h = 0; h < kvHeads; h++) {
                int n = kv.length(h);
                boolean[] merged = plan.isMerged(l, h, n);
                float[][] k = null;
                float[][] v = null;
                for (boolean m : merged) {
                    if (m) {
                        k = rows(kv, h, n, true);
                        v = rows(kv, h, n, false);
                        break;
                    }
                }
                float[][] newK = k == null ? null : plan.apply(l, h, k);
                float[][] newV = v == null ? null : plan.apply(l, h, v);
                kv.gather(h, plan.sources(l, h, n));
                for (int i = 0; i < merged.length; i++) {
                    if (merged[i]) {
                        kv.replace(h, i, newK[i], newV[i]);
                    }
                }
            }
        }
        layout = plan.apply(layout);
    }

    private static float[][] rows(LayerKv kv, int head, int n, boolean keys) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = keys ? kv.key(head, i) : kv.value(head, i);
        }
        return out;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[Math.max(0, to - from)];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
