package dev.prism.audio.codec;

import dev.prism.codecs.AudioCodec;
import dev.prism.codecs.CodecConfig;
import dev.prism.codecs.bench.CodecBench;
import dev.prism.codecs.bitstream.CodesFormatException;
import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.io.Resampler;
import dev.prism.codecs.io.WavIO;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code prism bench codec}'s neural rows: the codec over the generated ONNX encoder/decoder pair
 * (DEMO WEIGHTS: untrained, so SI-SNR and log-mel say nothing about a real neural codec; the rows
 * measure the runtime path: ONNX streaming encode/decode speed, bitrate and the entropy figures of
 * GRVQ codes of a neural latent). Same keys as {@link CodecBench#run}'s rows, so the lead appends
 * them to that table. Clips: the speech clips CodecBench measures, at 24 kHz.
 */
public final class NeuralCodecBench {
    private NeuralCodecBench() {
    }

    public static List<Map<String, Object>> run(Path assetsOrNull, PrintStream progress) {
        Path assets = assetsOrNull != null ? assetsOrNull : Path.of(System.getProperty("prism.assets",
                System.getenv().getOrDefault("PRISM_ASSETS", ".")));
        Path dir = null;
        try {
            dir = Files.createTempDirectory("prism-neural-codec-bench");
            long t0 = System.nanoTime();
            NeuralCodecs.writeDemo(dir);
            progress.printf("demo ONNX pair and GRVQ 2x4x1024 codebooks written in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            Path sp = assets.resolve("media/speech");
            List<PcmAudio> clips = new ArrayList<>();
            for (String f : List.of("sample1_16kHz.wav", "sense_and_sensibility_01_austen_64kb-0920.wav",
                    "sense_and_sensibility_01_austen_64kb-0930.wav")) {
                clips.add(Resampler.resample(WavIO.read(sp.resolve(f)), 24_000));
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (OnnxLatentModel model = OnnxLatentModel.load(dir)) {
                CodecBench.measureRow("warm-up", "GRVQ", NeuralCodecs.open(model, CodecConfig.grvq(4)), clips.subList(0, 1));
                for (int n : new int[] {4, 8}) {
                    AudioCodec codec = NeuralCodecs.open(model, CodecConfig.grvq(n));
                    Map<String, Object> row = CodecBench.measureRow("speech", "GRVQ on ONNX latent (demo weights)", codec, clips);
                    // Untrained demo weights reconstruct nothing: quality figures would only mislead.
                    for (String k : List.of("si_snr_db", "baseline_rvq_si_snr_db", "delta_si_snr_db", "logmel",
                            "baseline_rvq_logmel")) {
                        row.put(k, Double.NaN);
                    }
                    progress.printf("neural demo GRVQ n=%d: %s kbps, encode %s x RT (thread CPU), decode %s x RT (CPU)%n", n,
                            row.get("kbps_range"), row.get("encode_x_realtime_thread_cpu"), row.get("decode_x_realtime_per_cpu_s"));
                    rows.add(row);
                }
            }
            return rows;
        } catch (CodesFormatException e) {
            throw new IllegalStateException("neural codec round trip failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("neural codec benchmark needs the speech clips under " + assets + "/media", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }

    public static void main(String[] args) {
        List<Map<String, Object>> rows = run(args.length > 0 ? Path.of(args[0]) : null, System.err);
        System.out.println(String.join("\t", rows.get(0).keySet()));
        for (Map<String, Object> r : rows) {
            System.out.println(String.join("\t", r.values().stream().map(String::valueOf).toList()));
        }
    }
}
