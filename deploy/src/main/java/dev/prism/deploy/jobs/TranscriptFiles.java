package dev.prism.deploy.jobs;

import dev.prism.audio.subtitles.CueBuilder;
import dev.prism.audio.subtitles.CueRules;
import dev.prism.audio.subtitles.SubtitleWriter;
import dev.prism.audio.transcript.Segment;
import dev.prism.audio.transcript.Transcript;
import dev.prism.audio.transcript.TranscriptJson;
import dev.prism.audio.transcript.Word;
import dev.prism.streaming.events.TranscriptUpdate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A job's committed transcript updates as the audio library's Transcript, and its JSON / SRT / WebVTT files. */
final class TranscriptFiles {

    private TranscriptFiles() {
    }

    static Transcript transcript(List<TranscriptUpdate> finals, List<String> flags) {
        List<TranscriptUpdate> sorted = new ArrayList<>(finals);
        sorted.sort(Comparator.comparingDouble(TranscriptUpdate::start));
        List<Segment> segments = new ArrayList<>();
        double prevEnd = 0;
        String language = "en";
        String recognizer = null;
        for (TranscriptUpdate t : sorted) {
            if (t.recognizer() != null) recognizer = t.recognizer();
            if (t.language() != null) language = t.language();
            if (t.words().isEmpty()) continue;
            List<Word> words = new ArrayList<>();
            for (TranscriptUpdate.Word w : t.words()) words.add(new Word(w.word(), w.start(), w.end(), w.confidence()));
            double start = Math.max(t.start(), prevEnd);
            double end = Math.max(start, Math.max(t.end(), words.get(words.size() - 1).end()));
            segments.add(new Segment(start, end, t.text(), words));
            prevEnd = end;
        }
        if (recognizer != null && recognizer.endsWith("-demo") && !flags.contains("demo")) {
            flags = new ArrayList<>(flags);
            flags.add("demo"); // made with a generated checkpoint: say so in transcript.json
        }
        return new Transcript(language, recognizer, segments, flags);
    }

    static String json(Transcript t) {
        return TranscriptJson.write(t);
    }

    static String srt(Transcript t) {
        return SubtitleWriter.srt(new CueBuilder(CueRules.defaults()).build(t));
    }

    static String vtt(Transcript t) {
        return SubtitleWriter.vtt(new CueBuilder(CueRules.defaults()).build(t));
    }

    static String vttTime(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format("%02d:%02d:%02d.%03d", ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60, ms % 1000);
    }
}
