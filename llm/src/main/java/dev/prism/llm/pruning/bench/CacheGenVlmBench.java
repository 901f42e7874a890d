package dev.prism.llm.pruning.bench;

import dev.prism.codecs.cachegen.BinConfig;
import dev.prism.codecs.cachegen.CacheGenAnalysis;
import dev.prism.codecs.cachegen.CacheGenCodec;
import dev.prism.codecs.cachegen.KeyRope;
import dev.prism.codecs.cachegen.KvCache;
import dev.prism.codecs.cachegen.TokenOrder;
import dev.prism.llm.kv.PreRopeKeys;
import dev.prism.llm.model.RopeScaling;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What limits CacheGen's ratio on the {@code prism bench vlm} model's own KV cache (ALGORITHMS.md 4.2-4.6): per
 * (layer, K/V) and level, bits per value of the symbols, of the tables and of the scales against the 8-bit baseline,
 * the data statistics behind them, and delta-vs-anchor in raster and patch-major order ({@link CacheGenAnalysis}).
 * Knobs: {@code -Dprism.bench.vlm.frames} (default 2), {@code -Dprism.bench.threads} (default 2),
 * {@code -Dprism.bench.cachegen.kv=FILE} (reuse or keep the prefill cache between runs),
 * {@code -Dprism.bench.cachegen.levels=1,2,3}, {@code -Dprism.bench.cachegen.perLayer=false} (skip the per-layer
 * analysis, printed to the progress stream). Rows: per level, the reference coding (fp32 scales, no delta), fp16
 * scales alone, the defaults (fp16 scales, delta chosen per layer in raster order: what {@code prism bench vlm} gets
 * as wired), the defaults with the segment's video layout, the same with RoPE-turned key anchors ({@code KeyRope};
 * the per-value bound still holds), and, for comparison only, keys coded before RoPE ({@link PreRopeKeys}, which
 * keeps each token's L2 error but not the per-value bound of the cached keys), each against fp16 and plain 8-bit
 * (one byte per value plus the same fp32 per-token scale per layer and K/V; also with fp16 scales) in the same run.
 * The cache is the unpruned prefill (the final cache adds the 32 generated tokens).
 */
public final class CacheGenVlmBench {
    static final int[] GROUPS = {2, 4, 10, 16};
    private static final java.util.function.IntFunction<RopeScaling> ROPE = d -> RopeScaling.none(10000, d);
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private CacheGenVlmBench() {
    }

    public static List<Map<String, Object>> run(Path assetsOrNull, PrintStream progress) {
        int frames = Integer.getInteger("prism.bench.vlm.frames", 2);
        int threads = Integer.getInteger("prism.bench.threads", 2);
        String file = System.getProperty("prism.bench.cachegen.kv");
        VlmKvSource.Source s;
        try {
            s = VlmKvSource.load(frames, threads, file == null ? null : Path.of(file), progress);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build or read the VLM prefill cache", e);
        }
        TokenOrder layout = new TokenOrder(s.visionStart(), s.frames(), s.patchesPerFrame());
        KvCache kv = s.kv();
        long values = kv.fp16Bytes() / 2;
        long int8 = values + 2L * Float.BYTES * kv.layers() * kv.tokens();
        // the same baseline with fp16 scales, as fair as CacheGen's own fp16 side information
        long int8Half = values + 2L * 2 * kv.layers() * kv.tokens();
        double int8ErrK = PruningBench.relL2(kv.keys(), PruningBench.int8RoundTrip(kv.keys()));
        double int8ErrV = PruningBench.relL2(kv.values(), PruningBench.int8RoundTrip(kv.values()));
        List<Map<String, Object>> rows = new ArrayList<>();
        if (Boolean.parseBoolean(System.getProperty("prism.bench.cachegen.perLayer", "true"))) {
            // why K gains nothing from the previous frame: its RoPE phase moves by 729 positions; without it
            KvCache unrotated = preRope(kv);
            for (Map<String, Object> r : CacheGenAnalysis.perLayer(unrotated, BinConfig.level(1, kv.layers()), 256,
                    layout, new int[] {2})) {
                if ("K".equals(r.get("kind"))) {
                    progress.println("K before RoPE: layer " + r.get("layer") + " corr_prev_frame "
                            + r.get("corr_prev_frame") + " corr_next_token " + r.get("corr_next_token") + " pm_plain_bits "
                            + r.get("pm_plain_bits") + " pm_delta2_bits " + r.get("pm_delta2_bits"));
                }
            }
        }
        for (int level : levels()) {
            BinConfig bins = BinConfig.level(level, kv.layers());
            if (Boolean.parseBoolean(System.getProperty("prism.bench.cachegen.perLayer", "true"))) {
                for (Map<String, Object> r : CacheGenAnalysis.perLayer(kv, bins, 256, layout, keyRope(kv), GROUPS)) {
                    progress.println("level " + level + " " + r);
                }
            }
            Object[][] configs = {{"reference: fp32 scales, no delta", CacheGenCodec.Options.reference(), null},
                {"fp16 scales, no delta", CacheGenCodec.Options.reference().withHalfScales(true), null},
                {"default: fp16 scales, delta per layer (G <= 4), raster order", CacheGenCodec.Options.defaults(), null},
                {"default + video layout (patch-major, anchors on the previous frame)",
                    CacheGenCodec.Options.defaults(), layout},
                {"default + video layout + key anchors turned by RoPE (KeyRope)", CacheGenCodec.Options.defaults(),
                    layout},
                {"default + video layout + keys coded before RoPE (PreRopeKeys; per-value bound not kept)",
                    CacheGenCodec.Options.defaults(), layout}};
            for (Object[] cfg : configs) {
                CacheGenCodec codec = new CacheGenCodec((CacheGenCodec.Options) cfg[1]);
                boolean pre = ((String) cfg[0]).contains("before RoPE");
                KvCache in = pre ? preRope(kv) : kv;
                long t0 = CPU.getCurrentThreadCpuTime();
                KeyRope rope = ((String) cfg[0]).contains("KeyRope") ? keyRope(kv) : null;
                CacheGenCodec.Encoded e = codec.encode(in, bins, (TokenOrder) cfg[2], rope);
                long t1 = CPU.getCurrentThreadCpuTime();
                KvCache back = CacheGenCodec.decode(e.bytes());
                long t2 = CPU.getCurrentThreadCpuTime();
                if (pre) {
                    reRope(back);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("suite", "cachegen-vlm");
                row.put("shape", kv.layers() + "L x " + kv.kvHeads() + "H x " + kv.headDim() + "d x " + kv.tokens()
                        + "T (" + s.frames() + " frames x " + s.patchesPerFrame() + " patches from " + s.visionStart()
                        + ")");
                row.put("level", level);
                row.put("config", cfg[0]);
                row.put("bytes", (long) e.bytes().length);
                row.put("side_info_bytes", e.stats().sideInfoBytes());
                row.put("fp16_bytes", kv.fp16Bytes());
                row.put("int8_bytes", int8);
                row.put("ratio_vs_fp16", round(kv.fp16Bytes() / (double) e.bytes().length));
                row.put("ratio_vs_int8", round(int8 / (double) e.bytes().length));
                row.put("ratio_vs_int8_fp16_scales", round(int8Half / (double) e.bytes().length));
                row.put("bits_per_value", round(e.bytes().length * 8.0 / values));
                row.put("payload_over_entropy", round(e.stats().overheadVsEntropy()));
                row.put("rel_l2_k", round(PruningBench.relL2(kv.keys(), back.keys())));
                row.put("rel_l2_v", round(PruningBench.relL2(kv.values(), back.values())));
                row.put("int8_rel_l2_k", round(int8ErrK));
                row.put("int8_rel_l2_v", round(int8ErrV));
                row.put("k_err_over_bound", round(keyErrorOverBound(kv, back, bins)));
                row.put("encode_cpu_ms", round((t1 - t0) / 1e6));
                row.put("decode_cpu_ms", round((t2 - t1) / 1e6));
                rows.add(row);
                progress.println(row);
            }
        }
        return rows;
    }

    /**
     * The cache with its keys rotated back before RoPE (positions = token indices: an unpruned prefill). The bench
     * checkpoint sets no rope_theta or rope_scaling, so the Llama default applies.
     */
    static KvCache preRope(KvCache kv) {
        float[][][][] k = new float[kv.layers()][kv.kvHeads()][kv.tokens()][];
        long[] pos = new long[kv.tokens()];
        for (int t = 0; t < pos.length; t++) {
            pos[t] = t;
        }
        for (int l = 0; l < kv.layers(); l++) {
            for (int h = 0; h < kv.kvHeads(); h++) {
                for (int t = 0; t < kv.tokens(); t++) {
                    k[l][h][t] = kv.keys()[l][h][t].clone();
                }
            }
            PreRopeKeys.unrotate(k[l], pos, ROPE.apply(kv.headDim()), kv.tokens());
        }
        return new KvCache(k, kv.values());
    }

    /** The codec's copy of the model's RoPE frequencies (float, as the container carries them). */
    static KeyRope keyRope(KvCache kv) {
        return KeyRope.of(ROPE.apply(kv.headDim()).inverseFrequencies(kv.tokens()));
    }

    static KvCache reRope(KvCache kv) {
        long[] pos = new long[kv.tokens()];
        for (int t = 0; t < pos.length; t++) {
            pos[t] = t;
        }
        for (int l = 0; l < kv.layers(); l++) {
            PreRopeKeys.rotate(kv.keys()[l], pos, ROPE.apply(kv.headDim()), kv.tokens());
        }
        return kv;
    }

    /** Largest key error over its token's post-RoPE bin bound m / (2 MAX) (at most about 1 when K is coded as is). */
    static double keyErrorOverBound(KvCache a, KvCache b, BinConfig bins) {
        double worst = 0;
        for (int l = 0; l < a.layers(); l++) {
            int max = bins.keyBins()[l] / 2 - 1;
            for (int t = 0; t < a.tokens(); t++) {
                double m = 0;
                double e = 0;
                for (int h = 0; h < a.kvHeads(); h++) {
                    for (int i = 0; i < a.headDim(); i++) {
                        m = Math.max(m, Math.abs(a.keys()[l][h][t][i]));
                        e = Math.max(e, Math.abs(a.keys()[l][h][t][i] - b.keys()[l][h][t][i]));
                    }
                }
                worst = m == 0 ? worst : Math.max(worst, e / (m / (2.0 * max)));
            }
        }
        return worst;
    }

    private static int[] levels() {
        String[] parts = System.getProperty("prism.bench.cachegen.levels", "1,2,3").split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i].trim());
        }
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    public static void main(String[] args) {
        run(null, System.out);
    }
}
