package dev.prism.audio.bench;

import dev.prism.audio.StreamingTranscriber;
import dev.prism.audio.Transcriber;
import dev.prism.audio.TranscriberOptions;
import dev.prism.audio.asr.RecognizedWord;
import dev.prism.audio.asr.SpeechRecognizer;
import dev.prism.audio.asr.SphinxOptions;
import dev.prism.audio.asr.SphinxRecognizer;
import dev.prism.audio.asr.WordErrorRate;
import dev.prism.audio.io.WavReader;
import dev.prism.audio.streaming.AudioChunk;
import dev.prism.audio.streaming.TranscriptEvent;
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
 * {@code prism bench asr}: for the embedded Sphinx4 recognizer, tuned settings against Sphinx4's stock search
 * settings measured in the same run: model load time, real-time factor on one decoder and on a pool of two
 * (2 cores), WER on the LibriVox clips; then final-word latency (audio time) over a generated stream of the
 * clips with pauses (first minute as baseline, last minute as value: flat means ratio near 1).
 * The stream length is {@code -Dprism.bench.asr.streamMinutes} (default 10).
 */
public final class AsrBench {
    private static final String[] CLIPS = {
        "sense_and_sensibility_01_austen_64kb-0890",
        "sense_and_sensibility_01_austen_64kb-0920",
        "sense_and_sensibility_01_austen_64kb-0930"};

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private AsrBench() {
    }

    public static List<Map<String, Object>> run(Path assetsOrNull, PrintStream progress) {
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
        List<Map<String, Object>> rows = new ArrayList<>();
        SphinxOptions tuned = SphinxOptions.defaults();
        SphinxOptions stock = new SphinxOptions(8.0, 20000, 1e-60, 200, 1e-40, 0.1, true, 1);

        progress.println("asr: loading Sphinx4 (stock settings)");
        long t0 = System.nanoTime();
        Measure base;
        try (SphinxRecognizer r = new SphinxRecognizer(stock)) {
            double load = (System.nanoTime() - t0) / 1e9;
            base = measure(r, pcm, refs, audio, load, progress);
        }
        progress.println("asr: loading Sphinx4 (tuned settings)");
        t0 = System.nanoTime();
        try (SphinxRecognizer r = new SphinxRecognizer(tuned)) {
            double load = (System.nanoTime() - t0) / 1e9;
            Measure m = measure(r, pcm, refs, audio, load, progress);
            rows.add(row("load time", "sphinx4", "s", m.load, base.load));
            rows.add(row("RTF, 1 decoder", "sphinx4", "x", m.rtf, base.rtf));
            rows.add(row("RTF, 1 decoder, thread CPU time (robust to a busy machine)", "sphinx4", "x", m.cpuRtf, base.cpuRtf));
            rows.add(row("WER, LibriVox clips", "sphinx4", "", m.wer, base.wer));
            progress.println("asr: two decoders in parallel");
            double rtf2 = parallelRtf(r, pcm, audio);
            rows.add(row("RTF, pool of 2 on 2 cores", "sphinx4", "x", rtf2, m.rtf));
            double minutes = Double.parseDouble(System.getProperty("prism.bench.asr.streamMinutes", "10"));
            progress.println("asr: streaming " + minutes + " min");
            rows.addAll(streamLatency(r, pcm, minutes, progress));
        }
        return rows;
    }

    private record Measure(double load, double rtf, double cpuRtf, double wer) {
    }

    private static Measure measure(SpeechRecognizer r, List<float[]> pcm, List<String> refs, double audio, double load,
                                   PrintStream progress) {
        r.recognize(pcm.get(2), 0); // JIT warm-up
        long t = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        int errors = 0;
        int words = 0;
        for (int i = 0; i < pcm.size(); i++) {
            List<RecognizedWord> hyp = r.recognize(pcm.get(i), 0);
            List<String> ref = WordErrorRate.normalize(refs.get(i));
            errors += WordErrorRate.editDistance(ref, hyp.stream().map(RecognizedWord::word).toList());
            words += ref.size();
        }
        double rtf = (System.nanoTime() - t) / 1e9 / audio;
        double cpuRtf = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9 / audio;
        progress.printf("asr:   load %.2f s, RTF %.3f (CPU %.3f), WER %.3f%n", load, rtf, cpuRtf, errors / (double) words);
        return new Measure(load, rtf, cpuRtf, errors / (double) words);
    }

    private static double parallelRtf(SphinxRecognizer r, List<float[]> pcm, double audio) {
        List<float[]> work = new ArrayList<>(pcm);
        work.addAll(pcm);
        r.recognize(pcm.get(2), 0);
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

    private static List<Map<String, Object>> streamLatency(SpeechRecognizer r, List<float[]> clips, double minutes,
                                                           PrintStream progress) {
        int total = (int) (minutes * 60 * 16000);
        float[] stream = new float[total];
        int pos = 8000;
        for (int i = 0; pos < total; i++) {
            float[] c = clips.get(i % clips.size());
            int n = Math.min(c.length, total - pos);
            System.arraycopy(c, 0, stream, pos, n);
            pos += n + 8000 + (i * 7919 % 16000); // pauses of 0.5-1.5 s
        }
        TranscriberOptions o = TranscriberOptions.defaults();
        StreamingTranscriber s = new Transcriber(r, new EnergyVad(), o).openStream();
        List<double[]> lat = new ArrayList<>(); // (word end, latency)
        long t = System.nanoTime();
        int chunk = 3200;
        for (int i = 0; i < total; i += chunk) {
            for (TranscriptEvent e : s.accept(new AudioChunk(Arrays.copyOfRange(stream, i, Math.min(total, i + chunk)), i / 16000.0))) {
                collect(e, lat);
            }
            if (i % (16000 * 60) < chunk) {
                progress.printf("asr:   stream %.0f s%n", i / 16000.0);
            }
        }
        for (TranscriptEvent e : s.finish()) {
            collect(e, lat);
        }
        double compute = (System.nanoTime() - t) / 1e9 / (total / 16000.0);
        double end = total / 16000.0;
        double first = mean(lat, 0, Math.min(60, end / 2));
        double lastMin = mean(lat, Math.max(end - 60, end / 2), end - 2);
        double max = lat.stream().filter(l -> l[0] < end - 2).mapToDouble(l -> l[1]).max().orElse(Double.NaN);
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(row("final-word latency, last minute (baseline first minute)", "sphinx4 streaming", "s", lastMin, first));
        rows.add(row("final-word latency, max over stream (baseline first-minute mean)", "sphinx4 streaming", "s", max, first));
        rows.add(row("streaming compute RTF (baseline offline RTF 1 decoder n/a)", "sphinx4 streaming", "x", compute, Double.NaN));
        return rows;
    }

    private static void collect(TranscriptEvent e, List<double[]> lat) {
        if (e.isFinal()) {
            for (RecognizedWord w : e.words()) {
                lat.add(new double[] {w.end(), e.streamTime() - w.end()});
            }
        }
    }

    private static double mean(List<double[]> lat, double from, double to) {
        return lat.stream().filter(l -> l[0] >= from && l[0] < to).mapToDouble(l -> l[1]).average().orElse(Double.NaN);
    }

    private static Map<String, Object> row(String metric, String recognizer, String unit, double value, double baseline) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("metric", metric);
        m.put("recognizer", recognizer);
        m.put("unit", unit);
        m.put("value", round(value));
        m.put("baseline", round(baseline));
        m.put("ratio", Double.isFinite(value / baseline) ? round(value / baseline) : null);
        return m;
    }

    private static Object round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : null;
    }

    /** Runs the benchmark and prints the table: {@code java ... AsrBench [assetsDir]}. */
    public static void main(String[] args) {
        List<Map<String, Object>> rows = run(args.length > 0 ? Path.of(args[0]) : null, System.out);
        for (Map<String, Object> r : rows) {
            System.out.println(r);
        }
    }
}
