package dev.prism.vision.caption;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a caption cost and how much each stage removed (issue 7, outputs; ALGORITHMS.md 1.4, 2.4, 3.6, 4.6).
 * "Unpruned" figures are for the same segment with every vision token of every frame and no cache policy.
 *
 * @param visionBeforeStageA         patch tokens of all frames out of the tower
 * @param visionAfterStageA          after the window merge
 * @param visionAfterTemporal        after the temporal filter (what the decoder receives)
 * @param visionAfterStageB          after each stage B layer, in order (empty when stage B is off)
 * @param layerAveragedVisionTokens  vision tokens averaged over decoder layers (MustDrop's 192/128/64 figure)
 * @param prefillTokensPerLayer      sequence length each decoder layer processed
 * @param promptTokens               prompt length with the batch's vision tokens
 * @param promptTokensUnpruned       prompt length with every patch token
 * @param prefillFlops               estimate from the per-layer lengths
 * @param prefillFlopsUnpruned       the same estimate for the unpruned prompt
 * @param kvBytesFull                float32 KV of the unpruned prompt after prefill
 * @param kvBytesPrefill             this run's KV right after prefill (stage B shortened the deeper layers)
 * @param kvBytesPruned              after stage C and PLPHP
 * @param kvBytesMerged              after Elastic Cache's merge
 * @param kvBytesFinal               at the end of the caption
 * @param kvBytesFp16                the final cache at 16 bits per value
 * @param kvBytesInt8                the final cache at 8 bits per value plus fp32 per-token scales
 * @param kvBytesCacheGen            the final cache CacheGen-coded (the context's containers)
 * @param contextBytes               the whole context (containers, ids, positions)
 * @param plphpRetention             PLPHP's realised vision retention over its layers and heads (1 when off)
 */
public record CaptionFigures(int visionBeforeStageA, int visionAfterStageA, int visionAfterTemporal,
        int[] visionAfterStageB, double layerAveragedVisionTokens, int[] prefillTokensPerLayer, int promptTokens,
        int promptTokensUnpruned, double prefillFlops, double prefillFlopsUnpruned, long kvBytesFull,
        long kvBytesPrefill, long kvBytesPruned, long kvBytesMerged, long kvBytesFinal, long kvBytesFp16,
        long kvBytesInt8, long kvBytesCacheGen, int contextBytes, double plphpRetention, double prefillMs,
        double decodeMs, int decodeSteps) {

    /** Vision tokens in the deepest decoder layer. */
    public int visionFinal() {
        return visionAfterStageB.length == 0 ? visionAfterTemporal : visionAfterStageB[visionAfterStageB.length - 1];
    }

    /** 1 - layer-averaged vision tokens / patch tokens before stage A. */
    public double compression() {
        return 1 - layerAveragedVisionTokens / visionBeforeStageA;
    }

    /** Flat map for report.json (same keys for every caption). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vision_tokens_before_stage_a", visionBeforeStageA);
        m.put("vision_tokens_after_stage_a", visionAfterStageA);
        m.put("vision_tokens_after_temporal", visionAfterTemporal);
        m.put("vision_tokens_after_stage_b", Arrays.toString(visionAfterStageB));
        m.put("layer_averaged_vision_tokens", layerAveragedVisionTokens);
        m.put("compression", compression());
        m.put("prompt_tokens", promptTokens);
        m.put("prompt_tokens_unpruned", promptTokensUnpruned);
        m.put("prefill_flops", prefillFlops);
        m.put("prefill_flops_unpruned", prefillFlopsUnpruned);
        m.put("kv_bytes_full", kvBytesFull);
        m.put("kv_bytes_prefill", kvBytesPrefill);
        m.put("kv_bytes_pruned", kvBytesPruned);
        m.put("kv_bytes_merged", kvBytesMerged);
        m.put("kv_bytes_final", kvBytesFinal);
        m.put("kv_bytes_fp16", kvBytesFp16);
        m.put("kv_bytes_int8", kvBytesInt8);
        m.put("kv_bytes_cachegen", kvBytesCacheGen);
        m.put("context_bytes", contextBytes);
        m.put("plphp_retention", plphpRetention);
        m.put("prefill_ms", prefillMs);
        m.put("decode_ms", decodeMs);
        m.put("decode_steps", decodeSteps);
        return m;
    }
}
