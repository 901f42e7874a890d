package dev.prism.deploy.jobs;

import dev.prism.streaming.events.TranscriptUpdate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** transcript.json in the documented schema, and its SRT / WebVTT renderings. */
final class TranscriptFiles {

    private TranscriptFiles() {
    }

    static Map<String, Object> json(List<TranscriptUpdate> finals) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("language", finals.isEmpty() ? "en" : finals.get(0).language());
        m.put("recognizer", finals.isEmpty() ? null : finals.get(0).recognizer());
        List<Map<String, Object>> segs = new ArrayList<>();
        for (TranscriptUpdate t : finals) {
            if (t.words().isEmpty() && (t.text() == null || t.text().isBlank())) continue;
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("start", t.start());
            s.put("end", t.end());
            s.put("text", t.text());
            List<Map<String, Object>> words = new ArrayList<>();
            for (TranscriptUpdate.Word w : t.words()) {
                words.add(Map.of("word", w.word(), "start", w.start(), "end", w.end(), "confidence", w.confidence()));
            }
            s.put("words", words);
            segs.add(s);
        }
        m.put("segments", segs);
        return m;
    }

    static String srt(List<TranscriptUpdate> finals) {
        StringBuilder b = new StringBuilder();
        int n = 1;
        for (TranscriptUpdate t : finals) {
            if (t.text() == null || t.text().isBlank()) continue;
            b.append(n++).append('\n').append(vttTime(t.start()).replace('.', ',')).append(" --> ")
                    .append(vttTime(t.end()).replace('.', ',')).append('\n').append(t.text().trim()).append("\n\n");
        }
        return b.toString();
    }

    static String vtt(List<TranscriptUpdate> finals) {
        StringBuilder b = new StringBuilder("WEBVTT\n\n");
        for (TranscriptUpdate t : finals) {
            if (t.text() == null || t.text().isBlank()) continue;
            b.append(vttTime(t.start())).append(" --> ").append(vttTime(t.end())).append('\n')
                    .append(t.text().trim().replace("-->", "->")).append("\n\n");
        }
        return b.toString();
    }

    static String vttTime(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format("%02d:%02d:%02d.%03d", ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60, ms % 1000);
    }
}
