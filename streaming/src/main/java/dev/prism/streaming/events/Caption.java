package dev.prism.streaming.events;

import java.util.Map;

/** The VLM's caption of one segment. {@code demo} marks output of a generated (not real) checkpoint. */
public record Caption(String jobId, int segment, double start, double end, boolean last, String text,
                      String model, boolean demo, Map<String, Object> figures) implements PrismEvent {
}
