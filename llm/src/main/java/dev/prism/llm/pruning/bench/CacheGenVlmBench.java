package dev.prism.llm.pruning.bench;

import dev.prism.codecs.cachegen.BinConfig;
import dev.prism.codecs.cachegen.CacheGenAnalysis;
import dev.prism.codecs.cachegen.CacheGenCodec;
import dev.prism.codecs.cachegen.KvCache;
import dev.prism.codecs.cachegen.TokenOrder;
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
 * analysis, printed to the progress stream). Rows: per level, the reference coding (fp32 scales, no delta), the
 * defaults (fp16 scales, delta chosen per layer in raster order: what {@code prism bench vlm} gets as wired), and the
 * defaults with the segment's video layout, each against fp16 and plain 8-bit (one byte per value plus the same fp32
 * per-token scale per layer and K/V) in the same run.
 */
public final class CacheGenVlmBench {
    static final int[] GROUPS = {2, 4, 10, 16};
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
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int level : levels()) {
            BinConfig bins = BinConfig.level(level, kv.layers());
            if (Boolean.parseBoolean(System.getProperty("prism.bench.cachegen.perLayer", "true"))) {
                for (Map<String, Object> r : CacheGenAnalysis.perLayer(kv, bins, 256, layout, GROUPS)) {
                    progress.println("level " + level + " " + r);
                }
            }
            Object[][] configs = {{"reference: fp32 scales, no delta", CacheGenCodec.Options.reference(), null},
                {"fp16 scales, no delta", CacheGenCodec.Options.reference().withHalfScales(true), null},
                {"default: fp16 scales, delta per layer (G <= 4), raster order", CacheGenCodec.Options.defaults(), null},
                {"default + video layout (patch-major, anchors on the previous frame)",
                    CacheGenCodec.Options.defaults(), layout}};
            for (Object[] cfg : configs) {
                CacheGenCodec codec = new CacheGenCodec((CacheGenCodec.Options) cfg[1]);
                long t0 = CPU.getCurrentThreadCpuTime();
                CacheGenCodec.Encoded e = codec.encode(kv, bins, (TokenOrder) cfg[2]);
                long t1 = CPU.getCurrentThreadCpuTime();
                KvCache back = CacheGenCodec.decode(e.bytes());
                long t2 = CPU.getCurrentThreadCpuTime();
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
                row.put("bits_per_value", round(e.bytes().length * 8.0 / values));
                row.put("payload_over_entropy", round(e.stats().overheadVsEntropy()));
                row.put("rel_l2", round(relL2(kv, back)));
                row.put("encode_cpu_ms", round((t1 - t0) / 1e6));
                row.put("decode_cpu_ms", round((t2 - t1) / 1e6));
                rows.add(row);
                progress.println(row);
            }
        }
        return rows;
    }

    private static int[] levels() {
        String[] parts = System.getProperty("prism.bench.cachegen.levels", "1,2,3").split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i].trim());
        }
        return out;
    }

    static double relL2(KvCache a, KvCache b) {
        double num = 0;
        double den = 0;
        for (int kind = 0; kind < 2; kind++) {
            float[][][][] x = kind == 0 ? a.keys() : a.values();
            float[][][][] y = kind == 0 ? b.keys() : b.values();
            for (int l = 0; l < x.length; l++) {
                for (int h = 0; h < x[l].length; h++) {
                    for (int t = 0; t < x[l][h].length; t++) {
                        for (int i = 0; i < x[l][h][t].length; i++) {
                            double d = x[l][h][t][i] - y[l][h][t][i];
                            num += d * d;
                            den += (double) x[l][h][t][i] * x[l][h][t][i];
                        }
                    }
                }
            }
        }
        return Math.sqrt(num / den);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    public static void main(String[] args) {
        run(null, System.out);
    }
}
