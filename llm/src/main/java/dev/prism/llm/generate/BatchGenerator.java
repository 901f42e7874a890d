package dev.prism.llm.generate;

import dev.prism.llm.checkpoint.TextTokenizer;
import dev.prism.llm.model.DecoderSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Several prompts through the per-layer decoder sessions together (issue 4, "batch of prompts where it
 * pays"). Each pass runs every layer for all live sequences: decode steps in one call of the layer
 * graph with a batch axis ({@link PaddedLayerRun}), prefills stacked in one call of the batch-1 graph
 * with a block-diagonal mask ({@link RaggedLayerRun}); then one LM-head call and one embedding call
 * for the whole batch. Sequences keep their own KV cache, policy, sampler (seeded per request),
 * stop tokens/strings and budget, and finish independently; when one finishes, the next waiting
 * request is admitted and prefills in the same passes in which the others decode.
 *
 * <p>Where it pays: decode on CPU is bound by reading the weights, which a batch reads once per step
 * for every sequence; RuntimeBench measures the gain. Prefill is bound by arithmetic and gains
 * little; stacked prefills are capped (maxStackedPrefill) because their attention grows with the
 * square of the stacked tokens.
 *
 * <p>Greedy decoding gives the tokens {@link Generator} gives for each prompt alone, up to float
 * rounding differences in the ORT kernels between stacked and single runs (tested to be exact on the
 * tiny checkpoints). Not thread-safe: one batch at a time per instance.
 */
public final class BatchGenerator {
    /**
     * Stacked prefills are capped because the stacked attention scores grow with the square of the
     * stacked tokens ([heads, T, P + T] floats); 512 keeps them near 13 MB per 12-head layer.
     */
    public static final int DEFAULT_MAX_STACKED_PREFILL = 512;
    private final DecoderModel model;
    private final TextTokenizer tokenizer;
    private final boolean demo;
    private final int maxBatch;
    private final int maxStackedPrefill;
    private final RaggedLayerRun ragged;
    private final PaddedLayerRun padded;
    private boolean paddedDecode = true;

    /**
     * @param tokenizer may be null (stop strings are then ignored and text is empty)
     * @param maxBatch  most sequences run together; further requests wait for a free slot
     */
    public BatchGenerator(DecoderModel model, TextTokenizer tokenizer, boolean demo, int maxBatch) {
        this(model, tokenizer, demo, maxBatch, DEFAULT_MAX_STACKED_PREFILL);
    }

    /**
     * @param maxStackedPrefill most new tokens one stacked layer call may hold; a prefill that would
     *                          exceed it runs in its own call (decode steps are always stacked)
     */
    public BatchGenerator(DecoderModel model, TextTokenizer tokenizer, boolean demo, int maxBatch, int maxStackedPrefill) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        if (maxStackedPrefill < 0) {
            throw new IllegalArgumentException("maxStackedPrefill must be >= 0, got " + maxStackedPrefill);
        }
        this.maxStackedPrefill = maxStackedPrefill;
        this.model = model;
        this.tokenizer = tokenizer;
        this.demo = demo;
        this.maxBatch = maxBatch;
        this.ragged = new RaggedLayerRun(model);
        this.padded = new PaddedLayerRun(model);
    }

    /** Decode steps through the ragged stacking instead of the batch-axis graph (tests compare both paths). */
    BatchGenerator raggedDecode() {
        paddedDecode = false;
        return this;
    }

    /** Greedy/sampled generation for every request; results in request order. */
    public List<GenerationResult> generate(List<BatchRequest> requests) {
        DecoderSpec s = model.spec();
        for (int i = 0; i < requests.size(); i++) {
            BatchRequest r = requests.get(i);
            if (r.embeds() != null && r.embeds().length != r.tokens() * s.hidden()) {
                throw new IllegalArgumentException("request " + i + ": prompt embeddings must be tokens * hidden = "
                        + r.tokens() + " * " + s.hidden() + " values, got " + r.embeds().length);
            }
        }
        GenerationResult[] results = new GenerationResult[requests.size()];
        Deque<Integer> waiting = new ArrayDeque<>();
        for (int i = 0; i < requests.size(); i++) {
            waiting.add(i);
        }
        List<BatchSequence> live = new ArrayList<>();
        while (!waiting.isEmpty() || !live.isEmpty()) {
            while (live.size() < maxBatch && !waiting.isEmpty()) {
                int i = waiting.poll();
                BatchRequest r = requests.get(i);
                float[] embeds = r.embeds() != null ? r.embeds() : model.embed(r.ids());
                live.add(new BatchSequence(i, s, tokenizer, r, embeds));
            }
            live = pass(live, results);
        }
        return Arrays.asList(results);
    }

    /** One forward pass for all live sequences, then one token each; returns those still running. */
    private List<BatchSequence> pass(List<BatchSequence> live, GenerationResult[] results) {
        DecoderSpec s = model.spec();
        for (int l = 0; l < s.layers(); l++) {
            List<RaggedLayerRun.Part> parts = new ArrayList<>(live.size());
            for (BatchSequence q : live) {
                parts.add(q.part(l));
            }
            LayerOutput[] outs = runLayer(l, parts);
            for (int i = 0; i < live.size(); i++) {
                live.get(i).after(l, outs[i]);
            }
        }
        List<BatchSequence> sampling = new ArrayList<>(live.size());
        List<float[]> lastRows = new ArrayList<>(live.size());
        for (BatchSequence q : live) {
            float[] row = q.endPass();
            if (q.wantsToken()) {
                sampling.add(q);
                lastRows.add(row);
            } else {
                results[q.index] = q.result(demo);
            }
        }
        if (sampling.isEmpty()) {
            return sampling;
        }
        int v = s.vocab();
        float[] logits = model.logits(concat(lastRows, s.hidden()), sampling.size());
        List<BatchSequence> next = new ArrayList<>(sampling.size());
        long[] ids = new long[sampling.size()];
        for (int i = 0; i < sampling.size(); i++) {
            BatchSequence q = sampling.get(i);
            long tok = q.accept(Arrays.copyOfRange(logits, i * v, (i + 1) * v));
            if (tok < 0) {
                results[q.index] = q.result(demo);
            } else {
                ids[next.size()] = tok;
                next.add(q);
            }
        }
        if (!next.isEmpty()) {
            float[] e = model.embed(Arrays.copyOf(ids, next.size()));
            for (int i = 0; i < next.size(); i++) {
                next.get(i).feed(Arrays.copyOfRange(e, i * s.hidden(), (i + 1) * s.hidden()));
            }
        }
        return next;
    }

    /**
     * Decode steps (one token each) in one batch-axis call; prefills stacked ragged while the stacked
     * tokens stay within maxStackedPrefill, any other prefill alone. A single part runs unstacked.
     */
    private LayerOutput[] runLayer(int l, List<RaggedLayerRun.Part> parts) {
        LayerOutput[] out = new LayerOutput[parts.size()];
        List<Integer> decode = new ArrayList<>();
        List<Integer> stacked = new ArrayList<>();
        int tokens = 0;
        for (int i = 0; i < parts.size(); i++) {
            int n = parts.get(i).n();
            if (n == 1) {
                decode.add(i);
            } else if (tokens + n <= maxStackedPrefill) {
                stacked.add(i);
                tokens += n;
            } else {
                out[i] = ragged.run(l, List.of(parts.get(i)))[0];
            }
        }
        List<RaggedLayerRun.Part> d = decode.stream().map(parts::get).toList();
        if (d.size() > 1 && paddedDecode) {
            scatter(out, decode, padded.run(l, d));
        } else if (!d.isEmpty()) {
            scatter(out, decode, ragged.run(l, d));
        }
        if (!stacked.isEmpty()) {
            scatter(out, stacked, ragged.run(l, stacked.stream().map(parts::get).toList()));
        }
        return out;
    }

    private static void scatter(LayerOutput[] out, List<Integer> where, LayerOutput[] got) {
        for (int j = 0; j < got.length; j++) {
            out[where.get(j)] = got[j];
        }
    }

    private static float[] concat(List<float[]> rows, int width) {
        float[] out = new float[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, out, i * width, width);
        }
        return out;
    }
}
