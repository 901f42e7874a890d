package dev.prism.deploy.jobs;

import dev.prism.streaming.events.JobEvent;
import dev.prism.streaming.events.JobRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the tracker knows of one job, folded from its events and output records. Guarded by the tracker. */
public final class JobState {

    public enum State { QUEUED, RUNNING, DONE, FAILED, DELETED }

    /** The stages each task needs, in flow order. */
    public static final Map<String, List<String>> TASK_STAGES = Map.of(
            "transcript", List.of("decode", "asr"),
            "codec", List.of("decode", "codec"),
            "captions", List.of("decode", "vision", "vlm"),
            "gaussians", List.of("decode", "gaussians"));

    public static final class StageState {
        public String state = "pending";
        public double progress;
        public String message;
        public Map<String, Object> figures = new LinkedHashMap<>();
        public long firstMs;
        public long lastMs;
        public int segments;
    }

    public final String jobId;
    public JobRequest request;
    public State state = State.QUEUED;
    public String reason;
    public long createdMs;
    public long updatedMs;
    public boolean demo;
    public final Map<String, Object> probe = new LinkedHashMap<>();
    public final Map<String, StageState> stages = new LinkedHashMap<>();
    public final List<String> warnings = new ArrayList<>();
    /** Output topics whose record with last=true has been seen: transcript, captions, codec, gaussians. */
    public final java.util.Set<String> lastSeen = new java.util.HashSet<>();

    JobState(String jobId) {
        this.jobId = jobId;
    }

    public StageState stage(String name) {
        return stages.computeIfAbsent(name, k -> new StageState());
    }

    void apply(JobEvent e) {
        updatedMs = Math.max(updatedMs, e.atMs());
        if (e.stage().equals("api")) {
            if (e.kind() == JobEvent.Kind.ACCEPTED && createdMs == 0) createdMs = e.atMs();
            if (e.kind() == JobEvent.Kind.DELETED) state = State.DELETED;
            return;
        }
        StageState s = stage(e.stage());
        if (s.firstMs == 0) s.firstMs = e.atMs();
        s.lastMs = Math.max(s.lastMs, e.atMs());
        if (e.figures() != null && !e.figures().isEmpty()) s.figures.putAll(e.figures());
        switch (e.kind()) {
            case ACCEPTED -> { if (createdMs == 0) createdMs = e.atMs(); }
            case PROBED -> { probe.putAll(e.figures()); if (state == State.QUEUED) state = State.RUNNING; }
            case PROGRESS -> {
                if (!isTerminal(s.state)) s.state = "running";
                s.progress = Math.max(s.progress, e.progress());
                s.segments = Math.max(s.segments, e.segment() + 1);
                if (state == State.QUEUED) state = State.RUNNING;
            }
            case WARNING -> warnings.add(e.stage() + ": " + e.message());
            case STAGE_DONE -> { s.state = "done"; s.progress = 1.0; }
            case STAGE_SKIPPED -> { s.state = "skipped"; s.message = e.message(); }
            case STAGE_FAILED -> { s.state = "failed"; s.message = e.message(); }
            case DELETED -> state = State.DELETED;
        }
        if (Boolean.TRUE.equals(e.figures().get("demo"))) demo = true;
    }

    static boolean isTerminal(String stageState) {
        return stageState.equals("done") || stageState.equals("skipped") || stageState.equals("failed");
    }

    /** done / skipped / failed / running for one requested task. */
    public String taskStatus(String task) {
        List<String> needed = TASK_STAGES.getOrDefault(task, List.of());
        for (String st : needed) {
            StageState s = stages.get(st);
            if (s != null && s.state.equals("failed")) return "failed";
        }
        for (String st : needed) {
            StageState s = stages.get(st);
            if (s != null && s.state.equals("skipped")) return "skipped";
        }
        for (String st : needed) {
            StageState s = stages.get(st);
            if (s == null || !s.state.equals("done")) return "running";
        }
        return lastSeen.contains(task) ? "done" : "running";
    }

    /** First failure among the requested tasks, as a one-line reason. */
    String failureReason() {
        for (String task : request.tasks()) {
            for (String st : TASK_STAGES.getOrDefault(task, List.of())) {
                StageState s = stages.get(st);
                if (s != null && s.state.equals("failed")) return st + ": " + s.message;
            }
        }
        return null;
    }

    boolean allTasksSettled() {
        return request != null && request.tasks().stream().noneMatch(t -> taskStatus(t).equals("running"));
    }

    public boolean isFinished() {
        return state == State.DONE || state == State.FAILED || state == State.DELETED;
    }
}
