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
 * decoders on 2 cores (wall, regions in parallel), WER on the LibriVox clips; then final-word latency per minute
 * over a generated stream of the clips with pauses (baseline: the first minute, so flat means ratio near 1).
 * Latency counts the audio fed beyond a word's end when it was committed plus the CPU time of the step that
 * committed it (see {@link LatencyProbe}). {@code -Dprism.bench.asr.streamMinutes} sets the stream length
 * (default 10); {@code -Dprism.bench.asr.baseline=false} skips the previous-defaults baseline. {@link #sweep}
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

    private record Clips(List<float[]> pcm, List<String> refs, double seconds) {
    }

    private static Clips clips(Path assetsOrNull) {
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
            rows.addAll(streamLatency(r, StreamingOptions.defaults(), stream(clips.pcm, minutes), progress));
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
        int total = (int) (minutes * 60 * 16000);
        float[] stream = new float[total];
        int pos = 8000;
        for (int i = 0; pos < total; i++) {
            float[] c = clips.get(i % clips.size());
            int n = Math.min(c.length, total - pos);
            System.arraycopy(c, 0, stream, pos, n);
            pos += n + 8000 + (i * 7919 % 16000);
        }
        return stream;
    }

    private static List<Map<String, Object>> streamLatency(SpeechRecognizer r, StreamingOptions o, float[] stream,
                                                           PrintStream progress) {
        StreamingRecognizer s = new StreamingRecognizer(r, new EnergyVad(), o);
        LatencyProbe.Report rep = LatencyProbe.run(s, stream, 3200); // 200 ms network chunks
        double end = rep.audioSeconds();
        List<Map<String, Object>> rows = new ArrayList<>();
        double first = Double.NaN;
        for (int m = 0; m * 60 < end - 2; m++) {
            // the last 2 s are committed by finish(), not by the streaming policy
            double[] l = rep.between(m * 60, Math.min((m + 1) * 60, end - 2)).stream()
                    .mapToDouble(LatencyProbe.Final::latency).sorted().toArray();
            if (l.length == 0) {
                continue;
            }
            double mean = Arrays.stream(l).average().orElseThrow();
            first = Double.isNaN(first) ? mean : first;
            Map<String, Object> row = row("final-word latency, minute " + (m + 1) + " (baseline: first minute)", "s", mean, first);
            row.put("p95", round(l[(int) Math.round(0.95 * (l.length - 1))]));
            row.put("max", round(l[l.length - 1]));
            rows.add(row);
            progress.printf("asr:   minute %d: mean %.2f p95 %s max %s s%n", m + 1, mean, row.get("p95"), row.get("max"));
        }
        double[] audioPart = rep.between(0, end - 2).stream().mapToDouble(LatencyProbe.Final::audioLatency).sorted().toArray();
        if (audioPart.length > 0) {
            Map<String, Object> row = row("final-word latency, audio-time part only, whole stream (mean)", "s",
                    Arrays.stream(audioPart).average().orElseThrow(), Double.NaN);
            row.put("p95", round(audioPart[(int) Math.round(0.95 * (audioPart.length - 1))]));
            row.put("max", round(audioPart[audioPart.length - 1]));
            rows.add(row);
        }
        rows.add(row("streaming compute RTF, thread CPU (baseline: wall)", "x", rep.cpuSeconds() / end, rep.wallSeconds() / end));
        rows.add(row("streaming buffer, max held (baseline: bound max buffer + overlap + chunk)", "s", rep.maxBufferSeconds(),
                o.maxBufferSeconds() + o.overlapSeconds() + o.chunkSeconds()));
        return rows;
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
