package dev.prism.codecs.bench;

import dev.prism.codecs.AudioCodec;
import dev.prism.codecs.CodebookTrainer;
import dev.prism.codecs.CodecConfig;
import dev.prism.codecs.bitstream.CodesFormatException;
import dev.prism.codecs.bitstream.CodesHeader;
import dev.prism.codecs.bitstream.CodesParser;
import dev.prism.codecs.entropy.RangeEncoder;
import dev.prism.codecs.entropy.StaticFrequencyModel;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.io.Resampler;
import dev.prism.codecs.io.WavIO;
import dev.prism.codecs.latent.LatentDecoder;
import dev.prism.codecs.latent.LatentEncoder;
import dev.prism.codecs.latent.MdctLatent;
import dev.prism.codecs.metrics.AudioMetrics;
import dev.prism.codecs.metrics.CodeUsage;
import dev.prism.codecs.metrics.LogMelDistance;
import dev.prism.codecs.quant.CodebookSet;
import dev.prism.codecs.quant.LearningParams;
import dev.prism.codecs.quant.QuantizerLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code prism bench codec}: RVQ vs GRVQ (HiFi-Codec's claim, ALGORITHMS.md 5) at equal codebook
 * counts 4 and 8 on the analytic MDCT latent, on speech and music clips. Codebooks are learned on
 * other clips than the ones measured (train: silero_test_60s, sample2, austen-0890, test_48k;
 * measure: sample1, austen-0920, austen-0930 as "speech", test_24k as "music"). Per row: bitrate
 * of the RANGE_V3 and fixed 10-bit streams including header and packet framing; against the
 * empirical (plug-in) entropy of the measured codes, KT pooled and restarted per packet, the
 * RANGE_V2 models; the two-pass static scheme (ALGORITHMS.md 4.3) per 2 s packet, 10 s packet and
 * whole clip: payload over the packets' own plug-in entropy, table bits, stream size
 * ({@link EntropyBreakdown}); SI-SNR and log-mel distance with the RVQ row of the same count as
 * baseline; encode/decode speed in multiples of real time: wall clock with the default threads,
 * per process CPU second, and the codec stage's 20-frame streaming encode with 1 and 2 encoder
 * threads, wall and per thread CPU second, best of 3 ({@link EncodeSpeed}). Learning uses 4 Lloyd iterations
 * (spec: 50) to stay within about two minutes.
 */
public final class CodecBench {
    static final LearningParams PARAMS = LearningParams.defaults().withKmeansIters(4).withInitSample(4096)
            .withEmaEpochs(1).withSeed(42L);

    private CodecBench() {
    }

    public static List<Map<String, Object>> run(Path assetsOrNull, PrintStream progress) {
        Path assets = assetsOrNull != null ? assetsOrNull : defaultAssets();
        try {
            Path sp = assets.resolve("media/speech");
            Path mu = assets.resolve("media/music-codec");
            List<PcmAudio> train = load(List.of(sp.resolve("silero_test_60s.wav"), sp.resolve("sample2_16kHz.wav"),
                    sp.resolve("sense_and_sensibility_01_austen_64kb-0890.wav"), mu.resolve("test_48k.wav")));
            Map<String, List<PcmAudio>> measured = new LinkedHashMap<>();
            measured.put("speech", load(List.of(sp.resolve("sample1_16kHz.wav"),
                    sp.resolve("sense_and_sensibility_01_austen_64kb-0920.wav"),
                    sp.resolve("sense_and_sensibility_01_austen_64kb-0930.wav"))));
            measured.put("music", load(List.of(mu.resolve("test_24k.wav"))));

            double cpu0 = cpuSeconds();
            long t0 = System.nanoTime();
            CodebookSet rvq = CodebookTrainer.train(train, QuantizerLayout.Kind.RVQ, 1, 8, 10, PARAMS, "bench-rvq", false);
            progress.printf("learned RVQ 8x1024 in %.1f s%n", secs(t0));
            t0 = System.nanoTime();
            CodebookSet grvq = CodebookTrainer.train(train, QuantizerLayout.Kind.GRVQ, 2, 8, 10, PARAMS, "bench-grvq", false);
            progress.printf("learned GRVQ 2x4x1024 in %.1f s (both: %.1f CPU s)%n", secs(t0), cpuSeconds() - cpu0);

            // One untimed pass so JIT compilation is not billed to the first configuration.
            List<PcmAudio> warm = List.of(measured.get("speech").get(0));
            measure(AudioCodec.create(rvq, CodecConfig.rvq(4)), warm);
            measure(AudioCodec.create(grvq, CodecConfig.grvq(4)), warm);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map.Entry<String, List<PcmAudio>> e : measured.entrySet()) {
                for (int n : new int[] {4, 8}) {
                    Result base = measure(AudioCodec.create(rvq, CodecConfig.rvq(n)), e.getValue());
                    Result g = measure(AudioCodec.create(grvq, CodecConfig.grvq(n)), e.getValue());
                    rows.add(row(e.getKey(), "RVQ", n, base, base));
                    rows.add(row(e.getKey(), "GRVQ", n, g, base));
                    progress.printf("%s n=%d: RVQ %.2f dB, GRVQ %.2f dB%n", e.getKey(), n, base.siSnr, g.siSnr);
                }
            }
            rows.add(LatentOnlyRow.mdct(measured));
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("codec benchmark needs the clips under " + assets + "/media", e);
        }
    }

    private static Path defaultAssets() {
        String p = System.getProperty("prism.assets", System.getenv("PRISM_ASSETS"));
        if (p == null || p.isBlank()) {
            throw new IllegalArgumentException("set PRISM_ASSETS (or -Dprism.assets) to the directory holding media/");
        }
        return Path.of(p);
    }

    private static List<PcmAudio> load(List<Path> files) throws IOException {
        List<PcmAudio> out = new ArrayList<>();
        for (Path f : files) {
            if (!Files.exists(f)) {
                throw new IOException("missing benchmark clip " + f);
            }
            out.add(Resampler.resample(WavIO.read(f), AudioCodec.SAMPLE_RATE));
        }
        return out;
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** CPU seconds of this whole process (all threads): robust to other processes sharing the cores. */
    static double cpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    static final class Result {
        double seconds;
        long rangeBytes;
        long fixedBytes;
        long v2Bytes;
        double siSnr;
        double logMel;
        double encodeSeconds;
        double decodeSeconds;
        double encodeCpu;
        double decodeCpu;
        double codeEntropy;
        long staticBits;
        int deadCodes;
        EntropyBreakdown entropy;
        EntropyBreakdown.Span[] spans;
        final EncodeSpeed oneThread = new EncodeSpeed();
        final EncodeSpeed twoThreads = new EncodeSpeed();
    }

    static Result measure(AudioCodec codec, List<PcmAudio> clips) throws CodesFormatException {
        AudioCodec fixed = AudioCodec.create(codec.codebooks(), codec.config().withCoding(CodesHeader.Coding.FIXED),
                codec.latent());
        AudioCodec single = AudioCodec.create(codec.codebooks(), codec.config().withEncodeThreads(1), codec.latent());
        AudioCodec dual = AudioCodec.create(codec.codebooks(), codec.config().withEncodeThreads(2), codec.latent());
        Result r = new Result();
        LogMelDistance mel = new LogMelDistance(codec.sampleRate());
        double snrSum = 0;
        double melSum = 0;
        int nc = codec.config().codebooks();
        long[][] usage = codec.codebooks().usage();
        long[][] hist = new long[nc][1024];
        List<CodesParser.Packet> allPackets = new ArrayList<>();
        CodesHeader v2 = EntropyBreakdown.withCoding(codec.header(), CodesHeader.Coding.RANGE_V2);
        r.spans = new EntropyBreakdown.Span[EntropyBreakdown.SPAN_FRAMES.length];
        for (int i = 0; i < r.spans.length; i++) {
            r.spans[i] = new EntropyBreakdown.Span();
        }
        for (PcmAudio clip : clips) {
            float[] x = clip.samples();
            r.seconds += clip.seconds();
            double c0 = cpuSeconds();
            long t0 = System.nanoTime();
            byte[] bytes = codec.encode(x);
            r.encodeSeconds += secs(t0);
            r.encodeCpu += cpuSeconds() - c0;
            r.oneThread.add(single, x);
            r.twoThreads.add(dual, x);
            c0 = cpuSeconds();
            t0 = System.nanoTime();
            PcmAudio y = codec.decode(bytes);
            r.decodeSeconds += secs(t0);
            r.decodeCpu += cpuSeconds() - c0;
            r.rangeBytes += bytes.length;
            r.fixedBytes += fixed.encode(x).length;
            // Weight per-clip quality by duration so long clips count for their length.
            snrSum += AudioMetrics.siSnr(x, y.samples()) * clip.seconds();
            melSum += mel.distance(x, y.samples()) * clip.seconds();
            CodesParser p = new CodesParser(h -> usage);
            List<CodesParser.Packet> packets = p.feed(bytes, 0, bytes.length);
            r.v2Bytes += EntropyBreakdown.streamBytes(packets, v2, usage, x.length);
            for (int i = 0; i < r.spans.length; i++) {
                EntropyBreakdown.addClip(r.spans[i], packets, codec.header(), usage, EntropyBreakdown.SPAN_FRAMES[i],
                        x.length);
            }
            for (CodesParser.Packet pk : packets) {
                allPackets.add(pk);
                for (int i = 0; i < pk.codes().length; i++) {
                    hist[i % nc][pk.codes()[i]]++;
                }
            }
        }
        r.entropy = EntropyBreakdown.of(allPackets, codec.header(), usage);
        r.siSnr = snrSum / r.seconds;
        r.logMel = melSum / r.seconds;
        double h = 0;
        for (int k = 0; k < nc; k++) {
            CodeUsage u = CodeUsage.of(k, hist[k]);
            h += u.entropyBits();
            r.deadCodes += u.deadCodes();
        }
        r.codeEntropy = h / nc;
        // The coder alone: static models built from the pooled measured histograms themselves (an
        // oracle that is never sent), so coder overhead is separated from model cost.
        StaticFrequencyModel[] models = new StaticFrequencyModel[nc];
        for (int k = 0; k < nc; k++) {
            models[k] = StaticFrequencyModel.exact(hist[k]);
        }
        RangeEncoder enc = new RangeEncoder();
        for (CodesParser.Packet pk : allPackets) {
            int[] codes = pk.codes();
            for (int i = 0; i < codes.length; i++) {
                enc.encode(codes[i], models[i % nc]);
            }
        }
        r.staticBits = enc.finish().length * 8L;
        return r;
    }

    /**
     * One benchmark row for any codec (e.g. one over a neural latent, measured by the audio module):
     * the same keys as {@link #run}'s rows. {@code clips} must be mono at {@code codec.sampleRate()}.
     */
    public static Map<String, Object> measureRow(String clipsLabel, String quantizerLabel, AudioCodec codec,
                                                 List<PcmAudio> clips) throws CodesFormatException {
        Result r = measure(codec, clips);
        return row(clipsLabel, quantizerLabel, codec.config().codebooks(), r, r);
    }

    private static Map<String, Object> row(String clips, String q, int n, Result r, Result base) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clips", clips);
        m.put("quantizer", q);
        m.put("codebooks", n);
        m.put("audio_s", round(r.seconds, 2));
        r.entropy.columns(m, r.seconds, r.rangeBytes, r.fixedBytes, r.v2Bytes, r.spans);
        m.put("oracle_static_over_entropy", round(r.staticBits / r.entropy.plugInBits, 4));
        m.put("si_snr_db", round(r.siSnr, 2));
        m.put("baseline_rvq_si_snr_db", round(base.siSnr, 2));
        m.put("delta_si_snr_db", round(r.siSnr - base.siSnr, 2));
        m.put("logmel", round(r.logMel, 4));
        m.put("baseline_rvq_logmel", round(base.logMel, 4));
        m.put("code_entropy_bits", round(r.codeEntropy, 3));
        m.put("dead_codes", r.deadCodes);
        m.put("encode_x_realtime", round(r.seconds / r.encodeSeconds, 1));
        m.put("decode_x_realtime", round(r.seconds / r.decodeSeconds, 1));
        m.put("encode_x_realtime_per_cpu_s", round(r.seconds / r.encodeCpu, 1));
        m.put("decode_x_realtime_per_cpu_s", round(r.seconds / r.decodeCpu, 1));
        m.put("encode_1t_x_realtime_wall", round(r.seconds / r.oneThread.wallSeconds, 1));
        m.put("encode_x_realtime_thread_cpu", round(r.seconds / r.oneThread.cpuSeconds, 1));
        m.put("encode_2t_x_realtime_wall", round(r.seconds / r.twoThreads.wallSeconds, 1));
        m.put("encode_2t_x_realtime_per_thread_cpu", round(r.seconds / r.twoThreads.cpuSeconds, 1));
        return m;
    }

    static double round(double v, int digits) {
        double s = Math.pow(10, digits);
        return Math.round(v * s) / s;
    }

    /** Prints the table; {@code args[0]} optionally names the assets directory. */
    public static void main(String[] args) {
        List<Map<String, Object>> rows = run(args.length > 0 ? Path.of(args[0]) : null, System.err);
        System.out.println(String.join("\t", rows.get(0).keySet()));
        for (Map<String, Object> r : rows) {
            StringBuilder sb = new StringBuilder();
            for (Object v : r.values()) {
                sb.append(sb.length() == 0 ? "" : "\t").append(v);
            }
            System.out.println(sb);
        }
    }
}
