package dev.prism.deploy.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of a job for the API, the dashboard and report.json. */
public final class JobViews {

    private JobViews() {
    }

    public static final List<String> RESULT_FILES = List.of("transcript.json", "transcript.srt", "transcript.vtt",
            "captions.json", "captions.vtt", "audio.codes", "gaussians", "report.json");

    public static Map<String, Object> summary(JobState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.jobId);
        m.put("state", s.state.name().toLowerCase());
        if (s.reason != null) m.put("error", s.reason);
        if (s.request != null) {
            m.put("source", s.request.sourceName() != null ? s.request.sourceName() : s.request.source());
            m.put("tasks", s.request.tasks());
        }
        m.put("createdMs", s.createdMs);
        m.put("updatedMs", s.updatedMs);
        m.put("demo", s.demo);
        double progress = 0;
        int n = 0;
        for (JobState.StageState st : s.stages.values()) {
            progress += JobState.isTerminal(st.state) ? 1.0 : st.progress;
            n++;
        }
        m.put("progress", s.isFinished() ? 1.0 : n == 0 ? 0.0 : progress / n);
        return m;
    }

    public static Map<String, Object> detail(JobState s) {
        Map<String, Object> m = summary(s);
        if (s.request != null) {
            Map<String, Object> tasks = new LinkedHashMap<>();
            for (String t : s.request.tasks()) tasks.put(t, s.taskStatus(t));
            m.put("taskStatus", tasks);
            m.put("frameRate", s.request.frameRate());
            m.put("segmentSeconds", s.request.segmentSeconds());
            if (s.request.prompt() != null) m.put("prompt", s.request.prompt());
        }
        m.put("probe", s.probe);
        Map<String, Object> stages = new LinkedHashMap<>();
        s.stages.forEach((name, st) -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("state", st.state);
            v.put("progress", JobState.isTerminal(st.state) ? 1.0 : st.progress);
            v.put("segments", st.segments);
            if (st.message != null) v.put("message", st.message);
            if (st.firstMs > 0) v.put("elapsedMs", st.lastMs - st.firstMs);
            v.put("figures", st.figures);
            stages.put(name, v);
        });
        m.put("stages", stages);
        m.put("warnings", s.warnings);
        if (s.isFinished()) {
            Map<String, Object> links = new LinkedHashMap<>();
            for (String f : RESULT_FILES) links.put(f, "/v1/jobs/" + s.jobId + "/" + f);
            if (s.request != null && s.request.wants("codec") && s.taskStatus("codec").equals("done")) {
                links.put("codec.wav", "/v1/jobs/" + s.jobId + "/codec.wav");
            }
            m.put("results", links);
        }
        return m;
    }
}
