package dev.prism.llm.pruning.bench;

import dev.prism.codecs.cachegen.BinConfig;
import dev.prism.codecs.cachegen.CacheGenAnalysis;
import dev.prism.codecs.cachegen.TokenOrder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What limits CacheGen's ratio on the {@code prism bench vlm} model's own KV cache (ALGORITHMS.md 4.2-4.6): per
 * (layer, K/V) and level, bits per value of the symbols, of the tables and of the scales against the 8-bit baseline,
 * the data statistics behind them, and delta-vs-anchor in raster and patch-major order ({@link CacheGenAnalysis}).
 * Knobs: {@code -Dprism.bench.vlm.frames} (default 2), {@code -Dprism.bench.threads} (default 2),
 * {@code -Dprism.bench.cachegen.kv=FILE} (reuse or keep the prefill cache between runs),
 * {@code -Dprism.bench.cachegen.levels=1,2,3}.
 */
public final class CacheGenVlmBench {
    static final int[] GROUPS = {2, 4, 10, 16};

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
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String lv : System.getProperty("prism.bench.cachegen.levels", "1,2,3").split(",")) {
            int level = Integer.parseInt(lv.trim());
            for (Map<String, Object> r : CacheGenAnalysis.perLayer(s.kv(), BinConfig.level(level, s.kv().layers()),
                    256, layout, GROUPS)) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                row.put("level", level);
                row.putAll(r);
                rows.add(row);
                progress.println(row);
            }
        }
        return rows;
    }

    public static void main(String[] args) {
        run(null, System.out);
    }
}
