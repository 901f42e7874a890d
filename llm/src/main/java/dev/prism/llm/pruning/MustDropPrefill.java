package dev.prism.llm.pruning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * MustDrop stage B for one request (ALGORITHMS.md 1.2): after each pruning layer (default 2, 6, 10, 14; prefill only)
 * run the {@link DualAttentionFilter}, keep survivors united with the key set, remap the key set into the compacted
 * index space, record the stage's index map over the whole sequence ([system][surviving vision][text]) and shrink
 * the layout. The recorded maps feed stage C ({@link #outputAwarePolicy()}) and the report figures.
 */
public final class MustDropPrefill implements PrefillPruner {
    public static final int[] DEFAULT_LAYERS = {2, 6, 10, 14};

    private final int[] layers;
    private final DualAttentionFilter filter;
    private final SequenceLayout initial;
    private SequenceLayout layout;
    private int[] keySet;
    private final List<int[]> maps = new ArrayList<>();
    private final List<Integer> visionAfterStage = new ArrayList<>();

    /**
     * @param keySet ascending vision-relative indices from stage A (with multi-image offsets applied)
     */
    public MustDropPrefill(int[] pruningLayers, MustDropThresholds thresholds, SequenceLayout layout, int[] keySet) {
        this(pruningLayers, new DualAttentionFilter(thresholds), layout, keySet);
    }

    public MustDropPrefill(int[] pruningLayers, DualAttentionFilter filter, SequenceLayout layout, int[] keySet) {
        PruningInputException.check(pruningLayers != null && pruningLayers.length > 0, "no pruning layers given");
        for (int i = 0; i < pruningLayers.length; i++) {
            PruningInputException.check(pruningLayers[i] >= 0 && (i == 0 || pruningLayers[i] > pruningLayers[i - 1]),
                    "pruning layers " + Arrays.toString(pruningLayers) + " must be non-negative and ascending");
        }
        for (int k : keySet) {
            PruningInputException.check(k >= 0 && k < layout.vision(), "key index " + k + " outside the "
                    + layout.vision() + " vision tokens");
        }
        this.layers = pruningLayers.clone();
        this.filter = filter;
        this.initial = layout;
        this.layout = layout;
        this.keySet = keySet.clone();
    }

    @Override
    public boolean needsTextAttention(int layer) {
        return maps.size() < layers.length && layers[maps.size()] == layer;
    }

    @Override
    public int[] afterLayer(int layer, float[][][] textRows) {
        if (!needsTextAttention(layer)) {
            return null;
        }
        int[] survivors = filter.survivors(textRows, layout, keySet);
        int s = layout.system();
        int[] map = new int[s + survivors.length + layout.text()];
        for (int i = 0; i < s; i++) {
            map[i] = i;
        }
        for (int i = 0; i < survivors.length; i++) {
            map[s + i] = s + survivors[i];
        }
        for (int i = 0; i < layout.text(); i++) {
            map[s + survivors.length + i] = layout.visionEnd() + i;
        }
        int[] newKeys = new int[keySet.length];
        for (int i = 0; i < keySet.length; i++) {
            newKeys[i] = Arrays.binarySearch(survivors, keySet[i]); // present: survivors include the key set
        }
        boolean identity = survivors.length == layout.vision();
        keySet = newKeys;
        maps.add(map);
        visionAfterStage.add(survivors.length);
        layout = layout.withVision(survivors.length);
        return identity ? null : map;
    }

    @Override
    public SequenceLayout layout() {
        return layout;
    }

    /** The key set in the current compacted vision index space. */
    public int[] keySet() {
        return keySet.clone();
    }

    /** The recorded stage maps: map[i][new index] = index in the sequence before stage i. */
    public List<int[]> stageMaps() {
        return maps.stream().map(int[]::clone).toList();
    }

    /** Stage C step 1: map[i-1] = map[i-1][map[i]] from the last stage down, so every map points at the final set. */
    public List<int[]> composedMaps() {
        List<int[]> c = new ArrayList<>(stageMaps());
        for (int i = c.size() - 1; i >= 1; i--) {
            int[] prev = c.get(i - 1);
            int[] next = c.get(i);
            int[] composed = new int[next.length];
            for (int j = 0; j < next.length; j++) {
                composed[j] = prev[next[j]];
            }
            c.set(i - 1, composed);
        }
        return c;
    }

    /** Pruning layers at which a stage ran, in order (a prefix of the configured layers). */
    public int[] stageLayers() {
        return Arrays.copyOf(layers, maps.size());
    }

    /** Vision tokens each layer ran on: a layer sees the sequence after every stage at a shallower layer. */
    public int[] visionTokensPerLayer(int numLayers) {
        int[] out = new int[numLayers];
        for (int l = 0; l < numLayers; l++) {
            int v = initial.vision();
            for (int i = 0; i < maps.size(); i++) {
                if (layers[i] < l) {
                    v = visionAfterStage.get(i);
                }
            }
            out[l] = v;
        }
        return out;
    }

    /** The layer-averaged vision-token count (the figure MustDrop reports as 192/128/64). */
    public double layerAveragedVisionTokens(int numLayers) {
        return Arrays.stream(visionTokensPerLayer(numLayers)).average().orElse(0);
    }

    /**
     * Prefill cost relative to the unpruned run, from per-layer sequence lengths (ALGORITHMS.md 1.4: prefill FLOPs are
     * proportional to the sum over layers of L_layer; attention's quadratic term is ignored, as in that estimate).
     */
    public double prefillFlopsRatio(int numLayers) {
        int[] v = visionTokensPerLayer(numLayers);
        double pruned = 0;
        for (int x : v) {
            pruned += initial.system() + x + initial.text();
        }
        return pruned / ((double) numLayers * initial.length());
    }

    /** The cache layout right after prefill, before stage C: each layer holds the tokens it ran on. */
    public CacheLayout prefillCacheLayout(int numLayers, int kvHeads) {
        return CacheLayout.perLayer(numLayers, kvHeads, l -> {
            int[] ids = new int[initial.length()];
            Arrays.setAll(ids, i -> i);
            for (int i = 0; i < maps.size() && layers[i] < l; i++) {
                int[] m = maps.get(i);
                int[] next = new int[m.length];
                for (int j = 0; j < m.length; j++) {
                    next[j] = ids[m[j]];
                }
                ids = next;
            }
            return ids;
        });
    }

    /**
     * Stage C for this request. It may be created before prefill (to compose it with other policies up front): it
     * reads the recorded stage maps when it first runs, right after prefill.
     */
    public OutputAwareCachePolicy outputAwarePolicy() {
        return new OutputAwareCachePolicy(this);
    }

    /** Per stage, the length of the sequence the stage ran on (stage C's check of each layer's cache length). */
    int[] stageInputLengths() {
        int[] domain = new int[maps.size()];
        for (int i = 0; i < domain.length; i++) {
            domain[i] = i == 0 ? initial.length() : maps.get(i - 1).length;
        }
        return domain;
    }
}
