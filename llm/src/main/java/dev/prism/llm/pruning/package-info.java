/**
 * Vision-token pruning and KV-cache policies for the VLM generation loop: MustDrop stages B and C, PLPHP, Elastic
 * Cache, and the H2O and local-window baselines, as pure Java over plain arrays (ALGORITHMS.md sections 1-3).
 *
 * <p>Hook contract for the generation loop (the runtime owns the layers and the KV cache; nothing here runs a model):
 * <ol>
 * <li><b>Prefill, per layer</b> ({@link dev.prism.llm.pruning.PrefillPruner}, e.g. {@link
 * dev.prism.llm.pruning.MustDropPrefill}): after layer l's forward pass, if {@code needsTextAttention(l)}, compute the
 * softmax attention of the text query rows [H][Tq][L] (causal mask; may be recomputed from q and K) and call
 * {@code afterLayer(l, rows)}. A non-null result is an ascending index map over the current sequence: gather the
 * hidden states to those rows and use the first map.length position ids for the remaining layers. Layer l's own cache
 * keeps the pre-prune sequence.</li>
 * <li><b>After every forward pass</b> (prefill and each decode step) ({@link dev.prism.llm.pruning.CachePolicy}): build
 * a {@link dev.prism.llm.pruning.CacheStep} with {@code prefill}, {@code tokensSeen} (tokens processed so far), the
 * {@link dev.prism.llm.pruning.CacheLayout} (per layer and KV head, the original token id of every cache entry, this
 * pass's tokens included) and a {@link dev.prism.llm.pruning.StepAttention} providing what {@code needs(prefill)} asks
 * for: head-indexed column sums of the pass's query rows and/or the last query row, over each query head's KV lane.
 * Apply the returned {@link dev.prism.llm.pruning.CachePlan} to K and V of every lane with
 * {@code plan.apply(layer, kvHead, rows)} (skip layers where {@code !plan.changes(layer)}) and update the layout with
 * {@code plan.apply(layout)}; append each new decode token's id with {@code layout.append(id)}.</li>
 * <li>Decoding attends, per KV head, over whatever entries that lane holds (ragged after PLPHP); kept entries keep
 * their RoPE phases. The new token's position per layer follows {@link dev.prism.llm.pruning.DecodePositionRule}.</li>
 * <li>Combine policies with {@link dev.prism.llm.pruning.CompositeCachePolicy}, in the order MustDrop C ({@code
 * mustDropPrefill.outputAwarePolicy()}), {@link dev.prism.llm.pruning.PlphpPolicy}, then one of {@link
 * dev.prism.llm.pruning.ElasticCachePolicy} / {@link dev.prism.llm.pruning.H2OCachePolicy} / {@link
 * dev.prism.llm.pruning.LocalWindowCachePolicy}. Policies are stateful: one instance per request.</li>
 * </ol>
 *
 * <p>{@link dev.prism.llm.pruning.GenerationHooks} implements this contract on the runtime's
 * {@code dev.prism.llm.generate.CachePolicy} hooks; pass it to {@code Generator.generate}. What it does:
 * {@code prefillProbeRows} returns all rows when {@code needs(true)} has COLUMN_SUMS, else the text rows
 * [S + V, L) at MustDrop layers, else the last row when it has LAST_ROW; {@code afterPrefillLayer} sums the probed rows
 * per head into column sums, keeps the last probed row, and at MustDrop layers calls {@code afterLayer} and
 * {@code keepTokens(map, true)}; {@code afterPrefill} builds the layout ({@link
 * dev.prism.llm.pruning.MustDropPrefill#prefillCacheLayout} or {@link dev.prism.llm.pruning.CacheLayout#uniform}) and
 * applies the plan; decode hooks append the token id, probe when {@code needs(false)} is non-empty and apply the plan.
 * A plan maps onto {@code LayerKv} as {@code gather(head, plan.sources(...))} followed by {@code replace} of the
 * entries {@code plan.isMerged(...)} flags, with values from {@code plan.apply(layer, head, rows)}. Column sums from
 * all-row probes hold [heads][L][L] per layer; {@link dev.prism.llm.pruning.AttentionProbe} computes them row by row
 * from queries and keys instead.
 */
package dev.prism.llm.pruning;
