package dev.prism.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code prism bench [SUITE...] [--json FILE]}: each suite measures against a baseline in the same run and
 * returns rows; this prints them as tables and writes them as JSON. Suites live in the modules as
 * {@code static List<Map<String,Object>> run(Path assets, PrintStream progress)}.
 */
@Dependent
@Unremovable
@Command(name = "bench", description = "Run benchmark suites (backbone, decode, runtime, asr, codec, codec-neural, vlm, pruning, cachegen, gaussians) and print tables.")
public class BenchCommand implements Callable<Integer> {

    static final Map<String, String> SUITES = new LinkedHashMap<>();

    static {
        SUITES.put("backbone", "dev.prism.streaming.bench.BackboneBench");
        SUITES.put("decode", "dev.prism.ingest.bench.DecodeBench");
        SUITES.put("runtime", "dev.prism.llm.bench.RuntimeBench");
        SUITES.put("asr", "dev.prism.audio.bench.AsrBench");
        SUITES.put("codec", "dev.prism.codecs.bench.CodecBench");
        SUITES.put("codec-neural", "dev.prism.audio.codec.NeuralCodecBench");
        SUITES.put("vlm", "dev.prism.vision.bench.VlmBench");
        SUITES.put("pruning", "dev.prism.llm.pruning.bench.PruningBench");
        SUITES.put("cachegen", "dev.prism.llm.pruning.bench.CacheGenVlmBench");
        SUITES.put("gaussians", "dev.prism.vision.gaussians.bench.GaussianBench");
    }

    @Parameters(paramLabel = "SUITE", arity = "0..*", description = "suites to run (default: all)")
    List<String> suites = new ArrayList<>();
    @Option(names = "--json", description = "also write the rows as JSON to this file")
    Path json;
    @Option(names = "--assets", description = "directory of real media/models (default: $PRISM_ASSETS)")
    Path assets;

    @Override
    public Integer call() throws Exception {
        List<String> chosen = suites.isEmpty() ? List.copyOf(SUITES.keySet()) : suites;
        Path assetDir = assets != null ? assets : System.getenv("PRISM_ASSETS") != null ? Path.of(System.getenv("PRISM_ASSETS")) : null;
        Map<String, Object> all = new LinkedHashMap<>();
        int failures = 0;
        for (String suite : chosen) {
            String cls = SUITES.get(suite);
            if (cls == null) {
                System.err.println("prism bench: unknown suite '" + suite + "': choose from " + SUITES.keySet());
                return 2;
            }
            System.out.println("== " + suite);
            try {
                var m = Class.forName(cls).getMethod("run", Path.class, PrintStream.class);
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> rows = (List<Map<String, Object>>) m.invoke(null, assetDir, System.err);
                printTable(System.out, rows);
                all.put(suite, rows);
            } catch (ClassNotFoundException e) {
                System.out.println("(suite '" + suite + "' is not in this build yet)");
                all.put(suite, Map.of("error", "not in this build"));
            } catch (java.lang.reflect.InvocationTargetException e) {
                failures++;
                System.out.println("suite '" + suite + "' failed: " + e.getCause());
                all.put(suite, Map.of("error", String.valueOf(e.getCause())));
            }
        }
        if (json != null) {
            Files.write(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(all));
            System.out.println("wrote " + json);
        }
        return failures == 0 ? 0 : 1;
    }

    static void printTable(PrintStream out, List<Map<String, Object>> rows) {
        if (rows.isEmpty()) return;
        LinkedHashSet<String> cols = new LinkedHashSet<>();
        rows.forEach(r -> cols.addAll(r.keySet()));
        Map<String, Integer> width = new LinkedHashMap<>();
        for (String c : cols) {
            int w = c.length();
            for (Map<String, Object> r : rows) w = Math.max(w, fmt(r.get(c)).length());
            width.put(c, w);
        }
        StringBuilder head = new StringBuilder("|");
        StringBuilder rule = new StringBuilder("|");
        for (String c : cols) {
            head.append(' ').append(pad(c, width.get(c))).append(" |");
            rule.append(' ').append("-".repeat(width.get(c))).append(" |");
        }
        out.println(head);
        out.println(rule);
        for (Map<String, Object> r : rows) {
            StringBuilder line = new StringBuilder("|");
            for (String c : cols) line.append(' ').append(pad(fmt(r.get(c)), width.get(c))).append(" |");
            out.println(line);
        }
    }

    static String fmt(Object v) {
        if (v == null) return "";
        if (v instanceof Double d) return Math.abs(d) >= 100 ? String.format("%.1f", d) : String.format("%.3f", d);
        if (v instanceof Float f) return String.format("%.3f", f);
        return String.valueOf(v);
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }
}
