package dev.prism.audio.bench;

import dev.prism.audio.Transcriber;
import dev.prism.audio.TranscriberOptions;
import dev.prism.audio.asr.RecognizedWord;
import dev.prism.audio.asr.SphinxOptions;
import dev.prism.audio.asr.SphinxRecognizer;
import dev.prism.audio.asr.WordErrorRate;
import dev.prism.audio.streaming.LatencyProbe;
import dev.prism.audio.streaming.StreamingOptions;
import dev.prism.audio.streaming.StreamingRecognizer;
import dev.prism.audio.transcript.Word;
import dev.prism.audio.vad.EnergyVad;
import dev.prism.audio.vad.VadOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Diagnostic: streamed vs offline (VAD-cut) WER over the first minute of the bench stream, per streaming setting. */
public final class StreamWerDiag {
    private StreamWerDiag() {
    }

    public static void main(String[] args) {
        AsrBench.Clips clips = AsrBench.clips(Path.of("/work/shared"));
        double minutes = Double.parseDouble(System.getProperty("prism.bench.asr.streamMinutes", "1"));
        float[] stream = AsrBench.stream(clips.pcm(), minutes);
        List<int[]> placed = AsrBench.placed(clips.pcm(), minutes);
        try (SphinxRecognizer r = new SphinxRecognizer(SphinxOptions.defaults())) {
            Transcriber t = new Transcriber(r, new EnergyVad(), TranscriberOptions.defaults());
            List<RecognizedWord> off = new ArrayList<>();
            for (Word w : t.transcribe(stream).words()) {
                off.add(new RecognizedWord(w.word(), w.start(), w.end(), 1));
            }
            System.out.printf("offline transcriber (VAD regions): WER %.3f%n", wer(off, placed, clips));
            List<RecognizedWord> whole = new ArrayList<>();
            for (int[] p : placed) {
                whole.addAll(r.recognize(java.util.Arrays.copyOfRange(stream, p[0], p[1]), p[0] / 16000.0));
            }
            System.out.printf("offline whole clips: WER %.3f%n", wer(whole, placed, clips));
            for (String spec : args) {
                String[] a = spec.split(":");
                StreamingOptions o = new StreamingOptions(Double.parseDouble(a[1]), 0.5, Double.parseDouble(a[2]),
                        Double.parseDouble(a[3]), VadOptions.defaults(), Math.min(2.0, Double.parseDouble(a[2])),
                        StreamingOptions.Decoding.valueOf(a[0]));
                LatencyProbe.Report rep = LatencyProbe.run(new StreamingRecognizer(r, new EnergyVad(), o), stream, 3200);
                double lat = rep.finals().stream().mapToDouble(LatencyProbe.Final::latency).average().orElse(Double.NaN);
                System.out.printf("%s: WER %.3f latency mean %.2f s, RTF CPU %.3f%n", spec,
                        wer(rep.finals().stream().map(LatencyProbe.Final::word).toList(), placed, clips), lat,
                        rep.cpuSeconds() / rep.audioSeconds());
            }
        }
    }

    private static double wer(List<RecognizedWord> words, List<int[]> placed, AsrBench.Clips clips) {
        int errors = 0;
        int n = 0;
        for (int[] p : placed) {
            double from = p[0] / 16000.0;
            double to = p[1] / 16000.0;
            List<String> ref = WordErrorRate.normalize(clips.refs().get(p[2]));
            List<String> hyp = words.stream().filter(w -> (w.start() + w.end()) / 2 >= from && (w.start() + w.end()) / 2 < to)
                    .map(RecognizedWord::word).toList();
            errors += WordErrorRate.editDistance(ref, hyp);
            n += ref.size();
        }
        return errors / (double) n;
    }
}
