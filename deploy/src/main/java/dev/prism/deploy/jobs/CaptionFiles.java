package dev.prism.deploy.jobs;

import dev.prism.streaming.events.Caption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** captions.json ({"model","demo","segments":[...]}) and captions.vtt, one cue per segment. */
final class CaptionFiles {

    private CaptionFiles() {
    }

    static Map<String, Object> json(List<Caption> caps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", caps.isEmpty() ? null : caps.get(0).model());
        m.put("demo", caps.stream().anyMatch(Caption::demo));
        List<Map<String, Object>> segs = new ArrayList<>();
        for (Caption c : caps) {
            if (c.text() == null || c.text().isBlank()) continue;
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("start", c.start());
            s.put("end", c.end());
            s.put("text", c.text());
            s.put("segment", c.segment());
            s.putAll(c.figures());
            segs.add(s);
        }
        m.put("segments", segs);
        return m;
    }

    static String vtt(List<Caption> caps) {
        StringBuilder b = new StringBuilder("WEBVTT\n\n");
        for (Caption c : caps) {
            if (c.text() == null || c.text().isBlank()) continue;
            b.append(TranscriptFiles.vttTime(c.start())).append(" --> ").append(TranscriptFiles.vttTime(c.end())).append('\n');
            b.append(c.demo() ? "[demo] " : "").append(c.text().replace("-->", "->")).append("\n\n");
        }
        return b.toString();
    }
}
