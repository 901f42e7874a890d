package dev.prism.streaming.events;

import java.util.Map;

public record AskAnswer(String jobId, String requestId, String answer, boolean demo, String error,
                        Map<String, Object> figures) implements PrismEvent {
}
