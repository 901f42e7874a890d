package dev.prism.vision.caption;

import dev.prism.llm.generate.PositionPolicy;
import dev.prism.llm.pruning.ElasticCachePolicy;
import dev.prism.llm.pruning.GqaAggregation;
import dev.prism.llm.pruning.MustDropPrefill;
import dev.prism.llm.pruning.MustDropThresholds;
import java.util.Arrays;

/**
 * Every switch of the captioning pipeline (ALGORITHMS.md 1-4). {@link #defaults()} turns every stage on with the
 * spec's values; {@link #none()} turns every stage off, which must reproduce the plain runtime bit for bit.
 * PLPHP's alpha, beta, r, deltaR and first layer are unverified in the paper (ALGORITHMS.md 2): the defaults here are
 * starting points, calibrate them with {@link Captioner#calibratePlphp}. The temporal threshold is a Prism design value.
 *
 * @param merge               MustDrop A1: 3x3 window merge after vision layer 0
 * @param mergeWindow         window side (reference: 3)
 * @param mergeThreshold      mean pairwise cosine at or above which a window merges (reference: 0.8)
 * @param keySet              MustDrop A2: key tokens from the last vision layer's CLS attention
 * @param keyRate             key share of the post-merge patches (reference: 0.08)
 * @param temporal            drop patches nearly unchanged since their last kept version in the segment
 * @param temporalThreshold   cosine at or above which a patch counts as unchanged
 * @param stageB              MustDrop B: dual-attention filter during prefill
 * @param stageBLayers        decoder layers after which stage B prunes (reference: 2, 6, 10, 14)
 * @param globalThreshold     stage B global_thr
 * @param individualThreshold stage B individual_thr
 * @param stageC              MustDrop C: output-aware cache after prefill (needs stage B)
 * @param plphp               PLPHP per-layer per-head vision KV pruning after prefill
 * @param plphpAlpha          gamma at or above which a layer is vision-attentive
 * @param plphpBeta           gamma at or below which a layer is vision-indifferent
 * @param plphpR              base retention
 * @param plphpDeltaR         retention offset of the attentive / indifferent classes
 * @param plphpFirstLayer     K: layers below are never pruned
 * @param plphpAggregation    GQA score aggregation per KV head
 * @param elastic             Elastic Cache merging and fixed-point eviction
 * @param elasticConfig       ratio, sinks, protected tail, distance, referenceCompat
 * @param positions           RoPE position of decoded tokens (NEXT_ABSOLUTE, or the reference's own-cache-length quirk)
 * @param maxNewTokens        caption length budget
 * @param answerTokens        follow-up answer length budget
 * @param cacheGenLevel       CacheGen quality level of the figures (1-3; 3 is best), and of the stored context when
 *                            contextAllLevels is off
 * @param contextAllLevels    store the context at all three levels, so the ask path can pick one per request
 *                            (ALGORITHMS.md 4.4: chunks pre-encoded at each level)
 * @param threads             ONNX Runtime intra-op threads (0: one per core)
 */
public record CaptionOptions(boolean merge, int mergeWindow, double mergeThreshold, boolean keySet, double keyRate,
        boolean temporal, double temporalThreshold, boolean stageB, int[] stageBLayers, double globalThreshold,
        double individualThreshold, boolean stageC, boolean plphp, double plphpAlpha, double plphpBeta, double plphpR,
        double plphpDeltaR, int plphpFirstLayer, GqaAggregation plphpAggregation, boolean elastic,
        ElasticCachePolicy.Config elasticConfig, PositionPolicy positions, int maxNewTokens, int answerTokens,
        int cacheGenLevel, boolean contextAllLevels, int threads) {

    public CaptionOptions {
        CaptionException.check(mergeWindow >= 2, "mergeWindow " + mergeWindow + " must be >= 2");
        CaptionException.check(keyRate >= 0 && keyRate <= 1, "keyRate " + keyRate + " must be in [0, 1]");
        CaptionException.check(stageBLayers != null && stageBLayers.length > 0, "stageBLayers is empty: give at "
                + "least one decoder layer (reference: 2, 6, 10, 14)");
        stageBLayers = stageBLayers.clone();
        CaptionException.check(!stageC || stageB, "stage C needs stage B: it prunes caches with stage B's index maps");
        CaptionException.check(plphpAlpha > plphpBeta, "PLPHP alpha " + plphpAlpha + " must exceed beta " + plphpBeta);
        CaptionException.check(plphpR >= 0 && plphpR <= 1 && plphpDeltaR >= 0, "PLPHP r " + plphpR
                + " must be in [0, 1] and deltaR " + plphpDeltaR + " >= 0");
        CaptionException.check(plphpAggregation != null && elasticConfig != null && positions != null,
                "aggregation, elasticConfig and positions must not be null");
        CaptionException.check(maxNewTokens >= 1 && answerTokens >= 1, "maxNewTokens " + maxNewTokens
                + " and answerTokens " + answerTokens + " must be >= 1");
        CaptionException.check(cacheGenLevel >= 1 && cacheGenLevel <= 3, "cacheGenLevel " + cacheGenLevel
                + " must be 1, 2 or 3");
        CaptionException.check(threads >= 0, "threads " + threads + " must be >= 0 (0: one per core)");
    }

    /** Every stage on: MustDrop A/B/C (64-token thresholds), temporal 0.95, PLPHP, Elastic Cache 0.2; CacheGen level 2. */
    public static CaptionOptions defaults() {
        return new CaptionOptions(true, 3, 0.8, true, 0.08, true, 0.95, true, MustDropPrefill.DEFAULT_LAYERS,
                MustDropThresholds.TOKENS_64.global, MustDropThresholds.TOKENS_64.individual, true, true, 0.3, 0.1,
                0.5, 0.2, 2, GqaAggregation.SUM, true, ElasticCachePolicy.Config.defaults(),
                PositionPolicy.NEXT_ABSOLUTE, 32, 32, 2, true, 0);
    }

    /** Every pruning and cache stage off (the plain runtime). */
    public static CaptionOptions none() {
        return defaults().toBuilder().merge(false).keySet(false).temporal(false).stageB(false).stageC(false)
                .plphp(false).elastic(false).build();
    }

    /** True when no stage changes what the decoder sees or keeps. */
    public boolean nothingPruned() {
        return !merge && !temporal && !stageB && !plphp && !elastic;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaptionOptions c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "CaptionOptions[merge=" + merge + "/" + mergeWindow + "/" + mergeThreshold + ", keySet=" + keySet + "/"
                + keyRate + ", temporal=" + temporal + "/" + temporalThreshold + ", stageB=" + stageB + "@"
                + Arrays.toString(stageBLayers) + "/" + globalThreshold + "/" + individualThreshold + ", stageC="
                + stageC + ", plphp=" + plphp + "/" + plphpAlpha + "/" + plphpBeta + "/" + plphpR + "/" + plphpDeltaR
                + "/K" + plphpFirstLayer + "/" + plphpAggregation + ", elastic=" + elastic + "/" + elasticConfig
                + ", positions=" + positions + ", tokens=" + maxNewTokens + "/" + answerTokens + ", cacheGen="
                + cacheGenLevel + (contextAllLevels ? "/all" : "") + ", threads=" + threads + "]";
    }

    /** Mutable copy for changing a few switches. */
    public static final class Builder {
        private boolean merge;
        private int mergeWindow;
        private double mergeThreshold;
        private boolean keySet;
        private double keyRate;
        private boolean temporal;
        private double temporalThreshold;
        private boolean stageB;
        private int[] stageBLayers;
        private double globalThreshold;
        private double individualThreshold;
        private boolean stageC;
        private boolean plphp;
        private double alpha;
        private double beta;
        private double r;
        private double deltaR;
        private int firstLayer;
        private GqaAggregation aggregation;
        private boolean elastic;
        private ElasticCachePolicy.Config elasticConfig;
        private PositionPolicy positions;
        private int maxNewTokens;
        private int answerTokens;
        private int cacheGenLevel;
        private boolean contextAllLevels;
        private int threads;

        private Builder(CaptionOptions o) {
            merge = o.merge;
            mergeWindow = o.mergeWindow;
            mergeThreshold = o.mergeThreshold;
            keySet = o.keySet;
            keyRate = o.keyRate;
            temporal = o.temporal;
            temporalThreshold = o.temporalThreshold;
            stageB = o.stageB;
            stageBLayers = o.stageBLayers;
            globalThreshold = o.globalThreshold;
            individualThreshold = o.individualThreshold;
            stageC = o.stageC;
            plphp = o.plphp;
            alpha = o.plphpAlpha;
            beta = o.plphpBeta;
            r = o.plphpR;
            deltaR = o.plphpDeltaR;
            firstLayer = o.plphpFirstLayer;
            aggregation = o.plphpAggregation;
            elastic = o.elastic;
            elasticConfig = o.elasticConfig;
            positions = o.positions;
            maxNewTokens = o.maxNewTokens;
            answerTokens = o.answerTokens;
            cacheGenLevel = o.cacheGenLevel;
            contextAllLevels = o.contextAllLevels;
            threads = o.threads;
        }

        public Builder merge(boolean on) {
            merge = on;
            return this;
        }

        public Builder mergeThreshold(double t) {
            mergeThreshold = t;
            return this;
        }

        public Builder keySet(boolean on) {
            keySet = on;
            return this;
        }

        public Builder keyRate(double rate) {
            keyRate = rate;
            return this;
        }

        public Builder temporal(boolean on) {
            temporal = on;
            return this;
        }

        public Builder temporalThreshold(double t) {
            temporalThreshold = t;
            return this;
        }

        /** Stage B on or off; turning it off also turns off stage C, which depends on it. */
        public Builder stageB(boolean on) {
            stageB = on;
            stageC = stageC && on;
            return this;
        }

        public Builder stageBLayers(int... layers) {
            stageBLayers = layers;
            return this;
        }

        public Builder stageBThresholds(double global, double individual) {
            globalThreshold = global;
            individualThreshold = individual;
            return this;
        }

        public Builder stageC(boolean on) {
            stageC = on;
            return this;
        }

        public Builder plphp(boolean on) {
            plphp = on;
            return this;
        }

        public Builder plphpParams(double a, double b, double retention, double delta, int k, GqaAggregation agg) {
            alpha = a;
            beta = b;
            r = retention;
            deltaR = delta;
            firstLayer = k;
            aggregation = agg;
            return this;
        }

        public Builder elastic(boolean on) {
            elastic = on;
            return this;
        }

        public Builder elasticConfig(ElasticCachePolicy.Config c) {
            elasticConfig = c;
            return this;
        }

        public Builder positions(PositionPolicy p) {
            positions = p;
            return this;
        }

        public Builder maxNewTokens(int n) {
            maxNewTokens = n;
            return this;
        }

        public Builder answerTokens(int n) {
            answerTokens = n;
            return this;
        }

        public Builder cacheGenLevel(int level) {
            cacheGenLevel = level;
            return this;
        }

        public Builder contextAllLevels(boolean on) {
            contextAllLevels = on;
            return this;
        }

        public Builder threads(int n) {
            threads = n;
            return this;
        }

        public CaptionOptions build() {
            return new CaptionOptions(merge, mergeWindow, mergeThreshold, keySet, keyRate, temporal, temporalThreshold,
                    stageB, stageBLayers, globalThreshold, individualThreshold, stageC, plphp, alpha, beta, r, deltaR,
                    firstLayer, aggregation, elastic, elasticConfig, positions, maxNewTokens, answerTokens,
                    cacheGenLevel, contextAllLevels, threads);
        }
    }
}
