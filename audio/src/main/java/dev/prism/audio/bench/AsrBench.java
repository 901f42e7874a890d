package dev.prism.audio.bench;

import dev.prism.audio.asr.RecognizedWord;
import dev.prism.audio.asr.SpeechRecognizer;
import dev.prism.audio.asr.SphinxOptions;
import dev.prism.audio.asr.SphinxRecognizer;
import dev.prism.audio.asr.WordErrorRate;
import dev.prism.audio.io.WavReader;
import dev.prism.audio.streaming.LatencyProbe;
import dev.prism.audio.streaming.StreamingOptions;
import dev.prism.audio.streaming.StreamingRecognizer;
import dev.prism.audio.vad.EnergyVad;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code prism bench asr}: the embedded Sphinx4 recognizer with its tuned defaults against the previous defaults
 * (word-end active list as wide as the state list), measured in the same run: model load time, real-time factor
 * of one decoder (wall and thread CPU time; CPU time is what a busy machine does not inflate), of a pool of two
 * decoders on 2 cores (wall, regions in parallel), WER on the LibriVox clips; then streaming over a generated
 * stream of the clips with pauses: the default (incremental decoding) against the re-decoding streaming of before,
 * same stream, same run (see {@link #streamLatency}). Latency counts the audio fed beyond a word's end when it was
 * committed plus the CPU time of the step that committed it (see {@link LatencyProbe}).
 * {@code -Dprism.bench.asr.streamMinutes} sets the stream length (default 10);
 * {@code -Dprism.bench.asr.baseline=false} skips both baselines (previous Sphinx defaults and re-decoding). {@link #sweep}
 * (main argument {@code sweep}) is the tuning table behind the defaults.
 */
public final class AsrBench {
    private static final String[] CLIPS = {
        "sense_and_sensibility_01_austen_64kb-0890",
        "sense_and_sensibility_01_austen_64kb-0920",
        "sense_and_sensibility_01_austen_64kb-0930"};

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** The defaults before tuning: the word-end list was as wide as the state list (2000 tokens, 1e-50). */
    static final SphinxOptions PREVIOUS = new SphinxOptions(8.0, 2000, 1e-50, 2000, 1e-50, 0.1, true, 2, Map.of());

    private AsrBench() {
    }

    record Clips(List<float[]> pcm, List<String> refs, double seconds) {
    }

    static Clips clips(Path assetsOrNull) {
        Path assets = assetsOrNull != null ? assetsOrNull : Path.of(System.getenv().getOrDefault("PRISM_ASSETS", "../shared"));
        Path speech = assets.resolve("media/speech");
        List<float[]> pcm = new ArrayList<>();
        List<String> refs = new ArrayList<>();
        double audio = 0;
        for (String c : CLIPS) {
            float[] x = WavReader.read16kMono(speech.resolve(c + ".wav"));
            pcm.add(x);
            audio += x.length / 16000.0;
            try {
                refs.add(Files.readString(speech.resolve(c + ".txt")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Clips(pcm, refs, audio);
    }

    public static List<Map<String, Object>> run(Path assetsOrNull, PrintStream progress) {
        Clips clips = clips(assetsOrNull);
        List<Map<String, Object>> rows = new ArrayList<>();
        Measure base = new Measure(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        if (Boolean.parseBoolean(System.getProperty("prism.bench.asr.baseline", "true"))) {
            progress.println("asr: Sphinx4, previous defaults");
            base = measure(PREVIOUS, clips, progress);
        }
        progress.println("asr: Sphinx4, tuned defaults");
        Measure m = measure(SphinxOptions.defaults(), clips, progress);
        rows.add(row("load time", "s", m.load, base.load));
        rows.add(row("RTF, 1 decoder, wall", "x", m.rtf, base.rtf));
        rows.add(row("RTF, 1 decoder, thread CPU time", "x", m.cpuRtf, base.cpuRtf));
        rows.add(row("RTF, pool of 2 decoders on 2 cores, wall (2-thread)", "x", m.rtf2, base.rtf2));
        rows.add(row("WER, LibriVox clips", "", m.wer, base.wer));
        double minutes = Double.parseDouble(System.getProperty("prism.bench.asr.streamMinutes", "10"));
        progress.println("asr: streaming " + minutes + " min");
        try (SphinxRecognizer r = new SphinxRecognizer(SphinxOptions.defaults())) {
            StreamingOptions streamBase = Boolean.parseBoolean(System.getProperty("prism.bench.asr.baseline", "true"))
                    ? StreamingOptions.redecodeDefaults() : null;
            rows.addAll(streamLatency(r, StreamingOptions.defaults(), streamBase, clips, minutes, progress));
        }
        return rows;
    }

    private record Measure(double load, double rtf, double cpuRtf, double rtf2, double wer) {
    }

    private static Measure measure(SphinxOptions options, Clips clips, PrintStream progress) {
        long t0 = System.nanoTime();
        try (SphinxRecognizer r = new SphinxRecognizer(options)) {
            double load = (System.nanoTime() - t0) / 1e9;
            Measure m = measure(r, clips, 2);
            double rtf2 = parallelRtf(r, clips.pcm, clips.seconds);
            progress.printf("asr:   load %.2f s, RTF %.3f (CPU %.3f, pool of 2 %.3f), WER %.3f%n", load, m.rtf, m.cpuRtf,
                    rtf2, m.wer);
            return new Measure(load, m.rtf, m.cpuRtf, rtf2, m.wer);
        }
    }

    /** Best of {@code reps} passes over the clips after a warm-up pass (JIT). */
    private static Measure measure(SpeechRecognizer r, Clips clips, int reps) {
        double rtf = Double.MAX_VALUE;
        double cpuRtf = Double.MAX_VALUE;
        double wer = 0;
        for (int rep = -1; rep < reps; rep++) {
            long t = System.nanoTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            int errors = 0;
            int words = 0;
            for (int i = 0; i < clips.pcm.size(); i++) {
                List<RecognizedWord> hyp = r.recognize(clips.pcm.get(i), 0);
                List<String> ref = WordErrorRate.normalize(clips.refs.get(i));
                errors += WordErrorRate.editDistance(ref, hyp.stream().map(RecognizedWord::word).toList());
                words += ref.size();
            }
            wer = errors / (double) words;
            if (rep >= 0) {
                rtf = Math.min(rtf, (System.nanoTime() - t) / 1e9 / clips.seconds);
                cpuRtf = Math.min(cpuRtf, (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9 / clips.seconds);
            }
        }
        return new Measure(Double.NaN, rtf, cpuRtf, Double.NaN, wer);
    }

    /**
     * The tuning sweep behind {@link SphinxOptions#defaults()}: one setting changed at a time from the tuned
     * defaults (and the previous defaults first), each with single-thread RTF (thread CPU and wall) and WER;
     * ratio is CPU RTF against the previous defaults.
     */
    public static List<Map<String, Object>> sweep(Path assetsOrNull, PrintStream progress) {
        Clips clips = clips(assetsOrNull);
        SphinxOptions d = SphinxOptions.defaults();
        Map<String, SphinxOptions> settings = new LinkedHashMap<>();
        settings.put("previous defaults (word beam 2000, 1e-50)", PREVIOUS);
        settings.put("tuned defaults (word beam " + d.absoluteWordBeamWidth() + ", " + d.relativeWordBeamWidth() + ")", d);
        settings.put("word beam 20", beams(d, d.absoluteBeamWidth(), d.relativeBeamWidth(), 20, d.relativeWordBeamWidth()));
        settings.put("word beam 50", beams(d, d.absoluteBeamWidth(), d.relativeBeamWidth(), 50, d.relativeWordBeamWidth()));
        settings.put("relative word beam 1e-40", beams(d, d.absoluteBeamWidth(), d.relativeBeamWidth(), d.absoluteWordBeamWidth(), 1e-40));
        settings.put("relative word beam 1e-30", beams(d, d.absoluteBeamWidth(), d.relativeBeamWidth(), d.absoluteWordBeamWidth(), 1e-30));
        settings.put("state beam 1000", beams(d, 1000, d.relativeBeamWidth(), d.absoluteWordBeamWidth(), d.relativeWordBeamWidth()));
        settings.put("state beam 500", beams(d, 500, d.relativeBeamWidth(), d.absoluteWordBeamWidth(), d.relativeWordBeamWidth()));
        settings.put("relative state beam 1e-40", beams(d, d.absoluteBeamWidth(), 1e-40, d.absoluteWordBeamWidth(), d.relativeWordBeamWidth()));
        settings.put("language weight 10", new SphinxOptions(10, d.absoluteBeamWidth(), d.relativeBeamWidth(),
                d.absoluteWordBeamWidth(), d.relativeWordBeamWidth(), d.wordInsertionProbability(), true, 1, Map.of()));
        settings.put("word insertion probability 0.2", new SphinxOptions(d.languageWeight(), d.absoluteBeamWidth(),
                d.relativeBeamWidth(), d.absoluteWordBeamWidth(), d.relativeWordBeamWidth(), 0.2, true, 1, Map.of()));
        settings.put("no phone-loop lookahead (plain word pruning search)", new SphinxOptions(d.languageWeight(),
                d.absoluteBeamWidth(), d.relativeBeamWidth(), d.absoluteWordBeamWidth(), d.relativeWordBeamWidth(),
                d.wordInsertionProbability(), false, 1, Map.of()));
        settings.put("fast-match phone beam 1e-12", d.with("phoneticBeam", "1e-12"));
        settings.put("phone lookahead window 8", d.with("phoneticLookaheadWindow", "8"));
        settings.put("phone lookahead weight 8", d.with("phoneticLookaheadWeight", "8"));
        settings.put("no acoustic lookahead", d.with("acousticLookaheadWeight", "0"));
        settings.put("top Gaussians 2 (of 4)", d.with("topGaussiansNum", "2"));
        List<Map<String, Object>> rows = new ArrayList<>();
        double baseCpu = Double.NaN;
        for (Map.Entry<String, SphinxOptions> e : settings.entrySet()) {
            try (SphinxRecognizer r = new SphinxRecognizer(e.getValue().withPoolSize(1))) {
                Measure m = measure(r, clips, 2);
                baseCpu = Double.isNaN(baseCpu) ? m.cpuRtf : baseCpu;
                progress.printf("asr sweep: %-55s RTF cpu %.3f wall %.3f WER %.3f%n", e.getKey(), m.cpuRtf, m.rtf, m.wer);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("setting", e.getKey());
                row.put("rtfCpu", round(m.cpuRtf));
                row.put("rtfWall", round(m.rtf));
                row.put("wer", round(m.wer));
                row.put("baselineRtfCpu", round(baseCpu));
                row.put("ratio", round(m.cpuRtf / baseCpu));
                rows.add(row);
            }
        }
        return rows;
    }

    private static SphinxOptions beams(SphinxOptions d, int abw, double rbw, int awbw, double rwbw) {
        return new SphinxOptions(d.languageWeight(), abw, rbw, awbw, rwbw, d.wordInsertionProbability(), d.lookahead(), 1,
                d.properties());
    }

    private static double parallelRtf(SphinxRecognizer r, List<float[]> pcm, double audio) {
        List<float[]> work = new ArrayList<>(pcm);
        work.addAll(pcm);
        Thread warm = new Thread(() -> r.recognize(pcm.get(2), 0)); // loads the second pooled decoder
        warm.start();
        r.recognize(pcm.get(2), 0);
        join(warm);
        long t = System.nanoTime();
        work.parallelStream().forEach(x -> r.recognize(x, 0));
        return (System.nanoTime() - t) / 1e9 / (2 * audio);
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The clips in turn with pauses of 0.5-1.5 s, {@code minutes} long. */
    static float[] stream(List<float[]> clips, double minutes) {
        return generate(clips, minutes, null);
    }

    /** {@code {start sample, end sample, clip}} of every clip placed whole in {@link #stream}. */
    static List<int[]> placed(List<float[]> clips, double minutes) {
        List<int[]> placed = new ArrayList<>();
        generate(clips, minutes, placed);
        return placed;
    }

    /** {@link #stream}, recording {@code {start sample, end sample, clip}} of every clip placed whole. */
    private static float[] generate(List<float[]> clips, double minutes, List<int[]> placed) {
        int total = (int) (minutes * 60 * 16000);
        float[] stream = new float[total];
        int pos = 8000;
        for (int i = 0; pos < total; i++) {
            float[] c = clips.get(i % clips.size());
            int n = Math.min(c.length, total - pos);
            System.arraycopy(c, 0, stream, pos, n);
            if (placed != null && n == c.length) {
                placed.add(new int[] {pos, pos + n, i % clips.size()});
            }
            pos += n + 8000 + (i * 7919 % 16000);
        }
        return stream;
    }

    /**
     * Streaming over the generated stream, the default options against the re-decoding baseline in the same run:
     * final-word latency per minute of the default (baseline: its first minute, so flat means ratio near 1), then
     * whole-stream mean / p95 / max against the baseline, the audio-time part, the thread CPU time per accept call
     * (what load does not inflate), compute RTF, the buffer held, and the WER of the streamed words against the
     * references of the clips placed whole (the offline WER row above is the same clips decoded whole).
     */
    static List<Map<String, Object>> streamLatency(SpeechRecognizer r, StreamingOptions o, StreamingOptions base,
                                                   Clips clips, double minutes, PrintStream progress) {
        List<int[]> placed = new ArrayList<>();
        float[] stream = generate(clips.pcm, minutes, placed);
        List<Map<String, Object>> rows = new ArrayList<>();
        Streamed b = null;
        if (base != null) {
            progress.println("asr: streaming baseline " + base.decoding() + ", chunk " + base.chunkSeconds() + " s");
            b = streamed(r, base, stream, placed, clips, progress);
        }
        progress.println("asr: streaming " + o.decoding() + ", chunk " + o.chunkSeconds() + " s");
        Streamed m = streamed(r, o, stream, placed, clips, progress);
        double end = m.rep.audioSeconds();
        double first = Double.NaN;
        double last = Double.NaN;
        for (int min = 0; min * 60 < end - 2; min++) {
            double[] l = latencies(m.rep.between(min * 60, Math.min((min + 1) * 60, end - 2)), false);
            if (l.length == 0) {
                continue;
            }
            double mean = Arrays.stream(l).average().orElseThrow();
            first = Double.isNaN(first) ? mean : first;
            last = mean;
            Map<String, Object> row = row("final-word latency, minute " + (min + 1) + " (baseline: first minute)", "s", mean, first);
            row.put("p95", round(p95(l)));
            row.put("max", round(l[l.length - 1]));
            rows.add(row);
            progress.printf("asr:   minute %d: mean %.2f p95 %s max %s s%n", min + 1, mean, row.get("p95"), row.get("max"));
        }
        rows.add(row("final-word latency, last minute (baseline: first minute)", "s", last, first));
        String vs = b == null ? "" : " (baseline: " + base.decoding().name().toLowerCase(java.util.Locale.ROOT) + ", chunk "
                + base.chunkSeconds() + " s)";
        for (boolean audioOnly : new boolean[] {false, true}) {
            double[] l = latencies(m.rep.between(0, end - 2), audioOnly);
            double[] lb = b == null ? new double[0] : latencies(b.rep.between(0, end - 2), audioOnly);
            String what = audioOnly ? "final-word latency, audio-time part, whole stream" : "final-word latency, whole stream";
            rows.add(stat(what + ", mean" + vs, l.length == 0 ? Double.NaN : Arrays.stream(l).average().orElseThrow(),
                    lb.length == 0 ? Double.NaN : Arrays.stream(lb).average().orElseThrow()));
            rows.add(stat(what + ", p95" + vs, p95(l), p95(lb)));
            rows.add(stat(what + ", max" + vs, l.length == 0 ? Double.NaN : l[l.length - 1],
                    lb.length == 0 ? Double.NaN : lb[lb.length - 1]));
        }
        double[] steps = m.rep.stepCpuSeconds().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] stepsB = b == null ? new double[0] : b.rep.stepCpuSeconds().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        rows.add(stat("thread CPU per 200 ms chunk accepted, mean" + vs, Arrays.stream(steps).average().orElse(Double.NaN),
                Arrays.stream(stepsB).average().orElse(Double.NaN)));
        rows.add(stat("thread CPU per 200 ms chunk accepted, max" + vs, steps.length == 0 ? Double.NaN : steps[steps.length - 1],
                stepsB.length == 0 ? Double.NaN : stepsB[stepsB.length - 1]));
        rows.add(stat("streaming compute RTF, thread CPU" + vs, m.rep.cpuSeconds() / end, b == null ? Double.NaN : b.rep.cpuSeconds() / end));
        rows.add(stat("streaming compute RTF, wall" + vs, m.rep.wallSeconds() / end, b == null ? Double.NaN : b.rep.wallSeconds() / end));
        rows.add(stat("streamed WER, clips placed whole in the stream" + vs, m.wer, b == null ? Double.NaN : b.wer));
        rows.add(row("streaming buffer, max held (baseline: bound max buffer + overlap + chunk)", "s", m.rep.maxBufferSeconds(),
                o.maxBufferSeconds() + o.overlapSeconds() + o.chunkSeconds()));
        return rows;
    }

    private record Streamed(LatencyProbe.Report rep, double wer) {
    }

    private static Streamed streamed(SpeechRecognizer r, StreamingOptions o, float[] stream, List<int[]> placed, Clips clips,
                                     PrintStream progress) {
        StreamingRecognizer s = new StreamingRecognizer(r, new EnergyVad(), o);
        LatencyProbe.Report rep = LatencyProbe.run(s, stream, 3200); // 200 ms network chunks
        int errors = 0;
        int words = 0;
        for (int[] p : placed) {
            double from = p[0] / 16000.0;
            double to = p[1] / 16000.0;
            List<String> ref = WordErrorRate.normalize(clips.refs.get(p[2]));
            List<String> hyp = rep.finals().stream().map(LatencyProbe.Final::word)
                    .filter(w -> (w.start() + w.end()) / 2 >= from && (w.start() + w.end()) / 2 < to)
                    .map(RecognizedWord::word).toList();
            errors += WordErrorRate.editDistance(ref, hyp);
            words += ref.size();
        }
        double wer = errors / (double) Math.max(1, words);
        progress.printf("asr:   %s: streamed WER %.3f, compute RTF CPU %.3f%n", o.decoding(), wer, rep.cpuSeconds() / rep.audioSeconds());
        return new Streamed(rep, wer);
    }

    /** Sorted final-word latencies (audio-time part only, or with the committing step's CPU time). */
    private static double[] latencies(List<LatencyProbe.Final> finals, boolean audioOnly) {
        return finals.stream().mapToDouble(audioOnly ? LatencyProbe.Final::audioLatency : LatencyProbe.Final::latency)
                .sorted().toArray();
    }

    private static double p95(double[] sorted) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.round(0.95 * (sorted.length - 1))];
    }

    private static Map<String, Object> stat(String metric, double value, double baseline) {
        return row(metric, metric.contains("RTF") || metric.contains("WER") ? "" : "s", value, baseline);
    }

    private static Map<String, Object> row(String metric, String unit, double value, double baseline) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", metric);
        m.put("recognizer", "sphinx4");
        m.put("unit", unit);
        m.put("value", round(value));
        m.put("baseline", round(baseline));
        m.put("ratio", Double.isFinite(value / baseline) ? round(value / baseline) : null);
        m.put("p95", null);
        m.put("max", null);
        return m;
    }

    private static Object round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : null;
    }

    /** Runs the benchmark and prints the table: {@code java ... AsrBench [sweep] [assetsDir]}. */
    public static void main(String[] args) {
        boolean sweep = args.length > 0 && args[0].equals("sweep");
        int a = sweep ? 1 : 0;
        Path assets = args.length > a ? Path.of(args[a]) : null;
        for (Map<String, Object> r : sweep ? sweep(assets, System.out) : run(assets, System.out)) {
            System.out.println(r);
        }
    }
}
