package dev.prism.llm.bench;

import dev.prism.llm.generate.BatchGenerator;
import dev.prism.llm.generate.BatchRequest;
import dev.prism.llm.generate.CachePolicy;
import dev.prism.llm.generate.DecoderModel;
import dev.prism.llm.generate.GenerationOptions;
import dev.prism.llm.generate.GenerationResult;
import dev.prism.llm.generate.Generator;
import dev.prism.llm.generate.TokenListener;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The batch rows of `prism bench runtime`: B prompts generated together by {@link BatchGenerator}
 * against the same B prompts one after another through {@link Generator}, in the same rounds
 * (alternating, median of paired ratios). Reported per B: generated tokens per wall second and per
 * CPU second of the whole process (ORT's intra-op pool runs on its own threads, so the calling
 * thread's CPU time alone would undercount; process CPU time is what load from other processes does
 * not inflate), and decode-only tokens/s.
 */
final class BatchRows {
    static final int[] SIZES = {1, 4, 8};
    static final int ROUNDS = 3;

    private BatchRows() {
    }

    private record Timing(double wallS, double cpuS, double decodeS, List<long[]> tokens) {
    }

    static List<Map<String, Object>> measure(DecoderModel dec, int prompt, int decode, PrintStream progress) {
        List<Map<String, Object>> rows = new ArrayList<>();
        GenerationOptions greedy = GenerationOptions.greedy(decode);
        for (int b : SIZES) {
            List<long[]> prompts = new ArrayList<>();
            Random rnd = new Random(100 + b);
            for (int i = 0; i < b; i++) {
                prompts.add(rnd.longs(prompt, 30, dec.spec().vocab()).toArray());
            }
            double[] batchTps = new double[ROUNDS];
            double[] seqTps = new double[ROUNDS];
            double[] batchCpu = new double[ROUNDS];
            double[] seqCpu = new double[ROUNDS];
            double[] batchDec = new double[ROUNDS];
            double[] seqDec = new double[ROUNDS];
            double[] ratio = new double[ROUNDS];
            double[] cpuRatio = new double[ROUNDS];
            boolean same = true;
            for (int r = 0; r < ROUNDS; r++) {
                Timing seq = sequential(dec, prompts, greedy);
                Timing bat = batched(dec, prompts, greedy);
                double tokens = (double) b * decode;
                seqTps[r] = tokens / seq.wallS();
                batchTps[r] = tokens / bat.wallS();
                seqCpu[r] = tokens / seq.cpuS();
                batchCpu[r] = tokens / bat.cpuS();
                seqDec[r] = b * (decode - 1) / seq.decodeS();
                batchDec[r] = b * (decode - 1) / bat.decodeS();
                ratio[r] = batchTps[r] / seqTps[r];
                cpuRatio[r] = batchCpu[r] / seqCpu[r];
                for (int i = 0; i < b; i++) {
                    same &= Arrays.equals(seq.tokens().get(i), bat.tokens().get(i));
                }
                progress.printf("batch %d round %d: %.1f tokens/s batched vs %.1f sequential (CPU: %.1f vs %.1f tokens/cpu-s)%n",
                        b, r + 1, batchTps[r], seqTps[r], batchCpu[r], seqCpu[r]);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", "generated tokens/s, batch " + b + " (" + prompt + "-token prompts, " + decode + " new tokens each)");
            m.put("value", round(median(batchTps)));
            m.put("baseline", round(median(seqTps)));
            m.put("ratio", round(median(ratio)));
            m.put("note", String.format("batched vs the same prompts one by one, median of %d paired rounds; per CPU-second "
                            + "%.1f vs %.1f (ratio %.2f); decode-only %.1f vs %.1f tokens/s; same greedy tokens: %s",
                    ROUNDS, median(batchCpu), median(seqCpu), median(cpuRatio), median(batchDec), median(seqDec), same));
            rows.add(m);
        }
        rows.add(longContext(dec, progress));
        return rows;
    }

    /**
     * Decode with long caches: 8 prompts of 512 tokens, 16 decode steps each, one round. Prefill
     * dominates the run, so decode CPU time is taken as the run's CPU time minus that of a prefill-only
     * run of the same prompts (process CPU time, which other processes' load does not inflate).
     */
    private static Map<String, Object> longContext(DecoderModel dec, PrintStream progress) {
        int b = 8;
        int decode = 17;
        Random rnd = new Random(512);
        List<long[]> prompts = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            prompts.add(rnd.longs(512, 30, dec.spec().vocab()).toArray());
        }
        GenerationOptions greedy = GenerationOptions.greedy(decode);
        GenerationOptions prefillOnly = GenerationOptions.greedy(1);
        double seqPrefillCpu = sequential(dec, prompts, prefillOnly).cpuS();
        Timing seq = sequential(dec, prompts, greedy);
        double batPrefillCpu = batched(dec, prompts, prefillOnly).cpuS();
        Timing bat = batched(dec, prompts, greedy);
        double steps = b * (decode - 1);
        double seqCpu = steps / (seq.cpuS() - seqPrefillCpu);
        double batCpu = steps / (bat.cpuS() - batPrefillCpu);
        boolean same = true;
        for (int i = 0; i < b; i++) {
            same &= Arrays.equals(seq.tokens().get(i), bat.tokens().get(i));
        }
        progress.printf("batch 8, 512-token prompts: decode %.1f tokens/cpu-s batched vs %.1f sequential%n", batCpu, seqCpu);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", "decode tokens per CPU-second, batch 8 (512-token prompts, 16 decode steps each)");
        m.put("value", round(batCpu));
        m.put("baseline", round(seqCpu));
        m.put("ratio", round(batCpu / seqCpu));
        m.put("note", String.format("batched vs one by one, 1 round, decode CPU = run minus prefill-only run; decode wall "
                + "%.1f vs %.1f tokens/s; same greedy tokens: %s", steps / bat.decodeS(), steps / seq.decodeS(), same));
        return m;
    }

    private static Timing sequential(DecoderModel dec, List<long[]> prompts, GenerationOptions o) {
        Generator gen = new Generator(dec, null, true);
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        double decode = 0;
        List<long[]> tokens = new ArrayList<>();
        for (long[] p : prompts) {
            GenerationResult g = gen.generate(p, o, CachePolicy.NONE, TokenListener.NONE);
            decode += g.decodeNanos() / 1e9;
            tokens.add(g.tokens());
        }
        return new Timing((System.nanoTime() - t0) / 1e9, (cpuNanos() - cpu0) / 1e9, decode, tokens);
    }

    private static Timing batched(DecoderModel dec, List<long[]> prompts, GenerationOptions o) {
        BatchGenerator gen = new BatchGenerator(dec, null, true, prompts.size());
        List<BatchRequest> reqs = prompts.stream().map(p -> BatchRequest.of(p, o)).toList();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        List<GenerationResult> res = gen.generate(reqs);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        // all sequences prefill in the first pass, so decode time is the longest sequence's decode time
        double decode = res.stream().mapToLong(GenerationResult::decodeNanos).max().orElse(0) / 1e9;
        return new Timing(wall, cpu, decode, res.stream().map(GenerationResult::tokens).toList());
    }

    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static double median(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static Object round(double v) {
        return Double.isNaN(v) ? "" : Math.round(v * 1000) / 1000.0;
    }
}
