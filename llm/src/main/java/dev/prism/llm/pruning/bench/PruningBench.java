package dev.prism.llm.pruning.bench;

import dev.prism.codecs.cachegen.BinConfig;
import dev.prism.codecs.cachegen.CacheGenCodec;
import dev.prism.codecs.cachegen.KvCache;
import dev.prism.codecs.cachegen.StreamGranularity;
import dev.prism.codecs.cachegen.SyntheticKvCache;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CacheGen bytes against the fp16 cache and against plain 8-bit per-token quantization (one byte per value plus a
 * float scale per layer and token), measured in the same run on a generated KV cache with realistic statistics
 * ({@link SyntheticKvCache}: 24 layers, 4 KV heads of 64, 1024 tokens). Goal of issue 7: at least 4x smaller than
 * 8-bit. One row per (quality level, chunking, largest delta-vs-anchor group tried per layer; 0 = off); the 8-bit baseline's own relative L2 error is reported beside
 * CacheGen's, since the byte ratio alone hides the quality trade. The end-to-end VLM benchmark needs the runtime and lives elsewhere.
 */
public final class PruningBench {
    static final int LAYERS = 24;
    static final int KV_HEADS = 4;
    static final int HEAD_DIM = 64;
    static final int TOKENS = 1024;
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private PruningBench() {
    }

    public static List<Map<String, Object>> run(Path assetsOrNull, PrintStream progress) {
        KvCache kv = SyntheticKvCache.generate(LAYERS, KV_HEADS, TOKENS, HEAD_DIM, 42);
        long fp16 = kv.fp16Bytes();
        long values = fp16 / 2;
        long int8 = values + 4L * 2 * LAYERS * TOKENS;
        double int8ErrK = relL2(kv.keys(), int8RoundTrip(kv.keys()));
        double int8ErrV = relL2(kv.values(), int8RoundTrip(kv.values()));
        List<Map<String, Object>> rows = new ArrayList<>();
        int[][] configs = {{256, 0}, {1000, 0}, {256, 10}};
        for (int[] cfg : configs) {
            int chunk = cfg[0];
            CacheGenCodec codec = new CacheGenCodec(
                    new CacheGenCodec.Options(chunk, 256, StreamGranularity.PER_LAYER, cfg[1]));
            for (int level = 1; level <= 3; level++) {
                BinConfig bins = BinConfig.level(level, LAYERS);
                // thread CPU time: the benchmark machines are shared, wall time there is mostly waiting
                long t0 = CPU.getCurrentThreadCpuTime();
                CacheGenCodec.Encoded e = codec.encode(kv, bins);
                long t1 = CPU.getCurrentThreadCpuTime();
                KvCache back = CacheGenCodec.decode(e.bytes());
                long t2 = CPU.getCurrentThreadCpuTime();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("suite", "cachegen");
                row.put("shape", LAYERS + "L x " + KV_HEADS + "H x " + HEAD_DIM + "d x " + TOKENS + "T");
                row.put("level", level);
                row.put("chunk_tokens", chunk);
                row.put("delta_group", cfg[1]);
                row.put("bytes", (long) e.bytes().length);
                row.put("side_info_bytes", e.stats().sideInfoBytes());
                row.put("fp16_bytes", fp16);
                row.put("int8_bytes", int8);
                row.put("ratio_vs_fp16", round(fp16 / (double) e.bytes().length));
                row.put("ratio_vs_int8", round(int8 / (double) e.bytes().length));
                row.put("bits_per_value", round(e.bytes().length * 8.0 / values));
                row.put("payload_over_entropy", round(e.stats().overheadVsEntropy()));
                row.put("rel_l2_k", round(relL2(kv.keys(), back.keys())));
                row.put("rel_l2_v", round(relL2(kv.values(), back.values())));
                row.put("int8_rel_l2_k", round(int8ErrK));
                row.put("int8_rel_l2_v", round(int8ErrV));
                row.put("encode_cpu_ms", round((t1 - t0) / 1e6));
                row.put("decode_cpu_ms", round((t2 - t1) / 1e6));
                rows.add(row);
                if (progress != null) {
                    progress.println(row);
                }
            }
        }
        return rows;
    }

    /** The 8-bit baseline: per (layer, token) abs-max scale over all channels, 255 levels, round to nearest. */
    static float[][][][] int8RoundTrip(float[][][][] x) {
        float[][][][] out = new float[x.length][][][];
        for (int l = 0; l < x.length; l++) {
            out[l] = new float[x[l].length][x[l][0].length][];
            for (int t = 0; t < x[l][0].length; t++) {
                float m = 0;
                for (float[][] head : x[l]) {
                    for (float v : head[t]) {
                        m = Math.max(m, Math.abs(v));
                    }
                }
                for (int h = 0; h < x[l].length; h++) {
                    float[] row = new float[x[l][h][t].length];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = m == 0 ? 0 : Math.round(x[l][h][t][i] * 127 / m) * m / 127;
                    }
                    out[l][h][t] = row;
                }
            }
        }
        return out;
    }

    static double relL2(float[][][][] a, float[][][][] b) {
        double num = 0;
        double den = 0;
        for (int l = 0; l < a.length; l++) {
            for (int h = 0; h < a[l].length; h++) {
                for (int t = 0; t < a[l][h].length; t++) {
                    for (int i = 0; i < a[l][h][t].length; i++) {
                        double d = a[l][h][t][i] - b[l][h][t][i];
                        num += d * d;
                        den += (double) a[l][h][t][i] * a[l][h][t][i];
                    }
                }
            }
        }
        return Math.sqrt(num / den);
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
