package dev.prism.streaming.events;

import java.util.List;
import java.util.Map;

/**
 * A job: one media source and what to make of it. {@code source} is a media-store reference
 * ({@code store:<job>/<name>}) for uploads, or a file:// / http(s):// URI checked against the source policy.
 */
public record JobRequest(String jobId, String source, String sourceName, List<String> tasks,
                         double frameRate, double segmentSeconds, String prompt,
                         Map<String, String> options, long submittedAtMs) implements PrismEvent {

    public static final List<String> ALL_TASKS = List.of("transcript", "captions", "codec", "gaussians");

    public JobRequest {
        tasks = tasks == null || tasks.isEmpty() ? ALL_TASKS : List.copyOf(tasks);
        options = options == null ? Map.of() : Map.copyOf(options);
        if (frameRate <= 0) frameRate = 1.0;
        if (segmentSeconds <= 0) segmentSeconds = 2.0;
    }

    public boolean wants(String task) {
        return tasks.contains(task);
    }
}
