package dev.prism.codecs.entropy;

import java.util.Arrays;

/**
 * Adaptive model: every count starts at 1, a coded symbol adds {@code increment}, and all counts
 * are halved (rounding up, so none reaches 0) when the total would exceed {@code limit}. Halving
 * both bounds the total for the coder and lets the model follow drifting statistics.
 *
 * <p>Cumulative frequencies live in a Fenwick tree, so low/update/symbolAt cost O(log size); a
 * 1024-symbol codebook alphabet would otherwise pay a linear scan per code.
 */
public final class AdaptiveFrequencyModel implements FrequencyModel {
    /** Largest default step: small alphabets adapt within a few dozen symbols. */
    public static final int MAX_DEFAULT_INCREMENT = 32;

    private final int size;
    private final int increment;
    private final int limit;
    private final int[] counts;
    private final int[] tree;
    private final int[] initial;
    private final int topBit;
    private int total;

    /**
     * Default step {@code clamp(2^16 / (64 * size), 1, 32)}: large alphabets (1024 codebook
     * entries) get small steps, because one observation worth 32 initial counts makes a noisy
     * estimate that costs more than fixed-width coding on near-uniform codes.
     */
    public AdaptiveFrequencyModel(int size) {
        this(size, defaultIncrement(size), MAX_TOTAL);
    }

    /** The default step for an alphabet of {@code size} symbols. */
    public static int defaultIncrement(int size) {
        return Math.max(1, Math.min(MAX_DEFAULT_INCREMENT, MAX_TOTAL / (64 * Math.max(1, size))));
    }

    /**
     * @param increment added to a symbol's count after it is coded (at least 1)
     * @param limit     the total that triggers halving, at most 2^16 and at least twice the size
     */
    public AdaptiveFrequencyModel(int size, int increment, int limit) {
        if (size < 1 || limit > MAX_TOTAL || size > limit / 2 || increment < 1 || increment > limit / 2) {
            throw new IllegalArgumentException("adaptive model needs 1 <= size <= limit/2, 1 <= increment <= limit/2,"
                    + " limit <= 65536; got size=" + size + " increment=" + increment + " limit=" + limit);
        }
        this.size = size;
        this.increment = increment;
        this.limit = limit;
        this.counts = new int[size];
        this.tree = new int[size + 1];
        this.topBit = Integer.highestOneBit(size);
        Arrays.fill(counts, 1);
        this.initial = counts.clone();
        rebuild();
    }

    /**
     * An adaptive model that starts from prior counts (e.g. a codebook's usage on its training
     * data) scaled to at most half the limit, every count at least 1, instead of a flat start:
     * short packets then code near the prior's cross-entropy from their first symbol.
     */
    public static AdaptiveFrequencyModel withPrior(long[] prior, int increment, int limit) {
        return withPrior(prior, limit / 2, increment, limit);
    }

    /**
     * The same with an explicit prior mass: the prior's counts are scaled to a total of about
     * {@code priorMass}, so it weighs as much as {@code priorMass / increment} coded symbols. A small
     * mass with a large step lets a short stream move away from a prior learned on other audio.
     */
    public static AdaptiveFrequencyModel withPrior(long[] prior, int priorMass, int increment, int limit) {
        if (priorMass < prior.length || priorMass > limit) {
            throw new IllegalArgumentException("prior mass " + priorMass + " must lie in [size " + prior.length
                    + ", limit " + limit + "]");
        }
        AdaptiveFrequencyModel m = new AdaptiveFrequencyModel(prior.length, increment, limit);
        long sum = 0;
        for (long c : prior) {
            if (c < 0) {
                throw new IllegalArgumentException("negative prior count " + c);
            }
            sum += c;
        }
        if (sum > 0) {
            int budget = priorMass - prior.length;
            for (int i = 0; i < prior.length; i++) {
                m.counts[i] = 1 + (int) (prior[i] * (double) budget / sum);
            }
        }
        System.arraycopy(m.counts, 0, m.initial, 0, prior.length);
        m.rebuild();
        return m;
    }

    /** Back to the initial state (flat or prior), e.g. at a container packet boundary. */
    public void reset() {
        System.arraycopy(initial, 0, counts, 0, size);
        rebuild();
    }

    private void rebuild() {
        Arrays.fill(tree, 0);
        int sum = 0;
        for (int i = 0; i < size; i++) {
            sum += counts[i];
            tree[i + 1] += counts[i];
            int parent = (i + 1) + ((i + 1) & -(i + 1));
            if (parent <= size) {
                tree[parent] += tree[i + 1];
            }
        }
        total = sum;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int total() {
        return total;
    }

    @Override
    public int low(int symbol) {
        int sum = 0;
        for (int i = symbol; i > 0; i -= i & -i) {
            sum += tree[i];
        }
        return sum;
    }

    @Override
    public int freq(int symbol) {
        return counts[symbol];
    }

    @Override
    public int symbolAt(int target) {
        // Binary lifting down the Fenwick tree: finds the largest prefix whose sum is <= target.
        int pos = 0;
        int rem = target;
        for (int step = topBit; step > 0; step >>= 1) {
            int next = pos + step;
            if (next <= size && tree[next] <= rem) {
                pos = next;
                rem -= tree[next];
            }
        }
        return pos;
    }

    @Override
    public void update(int symbol) {
        if (total + increment > limit) {
            for (int i = 0; i < size; i++) {
                counts[i] = (counts[i] + 1) >>> 1;
            }
            rebuild();
        }
        counts[symbol] += increment;
        total += increment;
        for (int i = symbol + 1; i <= size; i += i & -i) {
            tree[i] += increment;
        }
    }
}
