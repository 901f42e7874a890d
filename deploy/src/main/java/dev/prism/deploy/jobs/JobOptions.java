package dev.prism.deploy.jobs;

import java.util.ArrayList;
import java.util.List;

/** What a client may ask for with a job; validated here so REST, Kafka and CLI share the rules. */
public record JobOptions(List<String> tasks, Double frameRate, Double segmentSeconds, String prompt) {

    public static final List<String> KNOWN_TASKS = List.of("transcript", "captions", "codec", "gaussians");

    public static JobOptions parse(String tasksCsv, Double frameRate, Double segmentSeconds, String prompt) {
        List<String> tasks = new ArrayList<>();
        if (tasksCsv != null && !tasksCsv.isBlank()) {
            for (String t : tasksCsv.split(",")) {
                if (!t.isBlank()) tasks.add(t.trim().toLowerCase());
            }
        }
        return new JobOptions(tasks, frameRate, segmentSeconds, prompt);
    }

    /** @throws IllegalArgumentException naming the bad option */
    public JobOptions validated() {
        List<String> t = tasks == null || tasks.isEmpty() ? KNOWN_TASKS : tasks;
        for (String task : t) {
            if (!KNOWN_TASKS.contains(task)) {
                throw new IllegalArgumentException("unknown task '" + task + "': choose from " + KNOWN_TASKS);
            }
        }
        double fps = frameRate == null ? 1.0 : frameRate;
        if (!(fps > 0 && fps <= 30)) {
            throw new IllegalArgumentException("frameRate " + frameRate + " is out of range: use a value in (0, 30]");
        }
        double seg = segmentSeconds == null ? 2.0 : segmentSeconds;
        if (!(seg >= 0.5 && seg <= 60)) {
            throw new IllegalArgumentException("segmentSeconds " + segmentSeconds + " is out of range: use 0.5 to 60");
        }
        if (prompt != null && prompt.length() > 2000) {
            throw new IllegalArgumentException("prompt is " + prompt.length() + " characters: at most 2000");
        }
        return new JobOptions(List.copyOf(t), fps, seg, prompt);
    }
}
