package dev.prism.vision.caption;

import dev.prism.llm.generate.DecoderModel;
import dev.prism.llm.model.DecoderSpec;
import dev.prism.llm.pruning.CachePolicy;
import dev.prism.llm.pruning.DualAttentionFilter;
import dev.prism.llm.pruning.ElasticCachePolicy;
import dev.prism.llm.pruning.MustDropPrefill;
import dev.prism.llm.pruning.PlphpConfig;
import dev.prism.llm.pruning.PlphpPolicy;
import dev.prism.llm.pruning.SequenceLayout;
import dev.prism.llm.vlm.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One caption request's pruning set-up (ALGORITHMS.md 1.2-1.3, 2, 3): the prompt layout [S][V][Tq], MustDrop stage B
 * with the batch's key set at the configured layers that exist in this decoder, the cache policies in the order the
 * pruning package prescribes (stage C, PLPHP, Elastic Cache), the decode session, and the figures afterwards.
 */
final class CaptionRun {
    private final DecoderModel dec;
    private final CaptionOptions o;
    private final Prompt p;
    private final PromptSpan span;
    private final VisionBatch batch;
    private final int system;
    private final int vision;
    private final int text;
    private final MustDropPrefill mustDrop;
    private final PlphpPolicy plphp;
    private final List<String> order = new ArrayList<>();
    private final PolicyBridge bridge;
    private final DecodeSession session;
    private DecodeSession.Prefill prefill;

    CaptionRun(DecoderModel dec, CaptionOptions o, PromptSpan span, VisionBatch batch) {
        this.dec = dec;
        this.o = o;
        this.p = span.prompt();
        this.span = span;
        this.batch = batch;
        int layers = dec.spec().layers();
        system = span.system();
        vision = span.span();
        text = span.text();
        int[] stageLayers = IntStream.of(o.stageBLayers()).filter(l -> l < layers).toArray();
        mustDrop = o.stageB() && stageLayers.length > 0 && vision > 0
                ? new MustDropPrefill(stageLayers, new DualAttentionFilter(o.globalThreshold(), o.individualThreshold()),
                        new SequenceLayout(system, vision, text), span.keySet(batch.keySet()))
                : null;
        List<CachePolicy> policies = new ArrayList<>();
        if (o.stageC() && mustDrop != null) {
            policies.add(mustDrop.outputAwarePolicy());
            order.add("C");
        }
        if (o.plphp() && vision > 0) {
            plphp = new PlphpPolicy(new PlphpConfig(o.plphpAlpha(), o.plphpBeta(), o.plphpR(), o.plphpDeltaR(),
                    o.plphpFirstLayer(), o.plphpAggregation(), system, system + vision),
                    IntStream.of(span.markup()).map(i -> i + system).toArray());
            policies.add(plphp);
            order.add("PLPHP");
        } else {
            plphp = null;
        }
        if (o.elastic()) {
            policies.add(new ElasticCachePolicy(o.elasticConfig()));
            order.add("Elastic");
        }
        bridge = new PolicyBridge(mustDrop, policies, text, layers);
        session = DecodeSession.fresh(dec, bridge, o.positions());
    }

    float[] prefill() {
        DecodeSession.Prefill[] out = new DecodeSession.Prefill[1];
        float[] logits = session.prefill(p.embeddings(), p.length(), out);
        prefill = out[0];
        return logits;
    }

    DecodeSession session() {
        return session;
    }

    CaptionFigures figures(DecodeSession.Run r, CaptionContext.Encoded ctx, int storedBytes) {
        DecoderSpec s = dec.spec();
        int layers = s.layers();
        int markup = span.markup().length;
        int[] afterB = mustDrop == null ? new int[0]
                : mustDrop.stageMaps().stream().mapToInt(m -> m.length - system - text - markup).toArray();
        double averaged = mustDrop == null ? batch.count() : mustDrop.layerAveragedVisionTokens(layers) - markup;
        int unpruned = p.length() - batch.count() + batch.tokensBeforeStageA();
        List<Long> after = bridge.bytesAfterPolicy();
        long pruned = bridge.bytesBeforePolicies();
        long merged;
        int elastic = order.indexOf("Elastic");
        for (int i = 0; i < order.size(); i++) {
            if (i != elastic) {
                pruned = after.get(i);
            }
        }
        merged = elastic >= 0 ? after.get(elastic) : pruned;
        long full = (long) layers * unpruned * s.kvHeads() * s.headDim() * 2 * Float.BYTES;
        return new CaptionFigures(batch.tokensBeforeStageA(), batch.tokensAfterStageA(), batch.count(), afterB, averaged,
                prefill.tokensPerLayer(), p.length(), unpruned, prefill.flops(), layers * s.layerPrefillFlops(unpruned),
                full, bridge.bytesBeforePolicies(), pruned, merged, session.cache().bytes(), ctx.fp16Bytes(),
                ctx.int8Bytes(), ctx.cacheGenBytes(), storedBytes,
                plphp == null ? 1 : plphp.realisedRetention(), prefill.nanos() / 1e6, r.nanos() / 1e6, r.steps());
    }

    /** Per layer the prompt indices its prefill rows hold (null: MustDrop stage B did not run, every layer holds all). */
    int[][] prefillRows() {
        if (mustDrop == null) {
            return null;
        }
        int layers = dec.spec().layers();
        dev.prism.llm.pruning.CacheLayout c = mustDrop.prefillCacheLayout(layers, 1);
        int[][] out = new int[layers][];
        for (int l = 0; l < layers; l++) {
            out[l] = c.ids(l, 0);
        }
        return out;
    }

    /** Per stage B layer, the surviving vision tokens as indices into the batch (composed from the stage maps). */
    int[][] stageBSurvivors() {
        if (mustDrop == null) {
            return new int[0][];
        }
        List<int[]> maps = mustDrop.stageMaps();
        int[][] out = new int[maps.size()][];
        int[] ids = IntStream.range(0, p.length()).toArray();
        for (int i = 0; i < maps.size(); i++) {
            int[] m = maps.get(i);
            int[] next = new int[m.length];
            for (int j = 0; j < m.length; j++) {
                next[j] = ids[m[j]];
            }
            ids = next;
            int v = m.length - system - text;
            int[] sp = span.spanToBatch();
            final int[] cur = ids;
            out[i] = IntStream.range(0, v).map(j -> sp[cur[system + j] - system]).filter(b -> b >= 0).toArray();
        }
        return out;
    }
}
