package dev.prism.vision.caption;

import java.util.LinkedHashMap;
import java.util.Map;

/** A follow-up answer and how it was computed: from the stored context at a CacheGen level, or from text. */
public record AskOutcome(Answer answer, AskPlanner.Plan plan) {
    /** Report fields: path ("cache" or "text"), level (0 for text), the estimates the choice was made on. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", plan.path() == AskPlanner.Path.CACHE ? "cache" : "text");
        m.put("level", plan.level());
        m.put("estimatedMs", finite(plan.estimatedMs()));
        m.put("deadlineMs", finite(plan.deadlineMs()));
        m.put("bandwidthBytesPerSecond", plan.bandwidthBytesPerSecond());
        m.put("cacheEstimateMsByLevel", java.util.Arrays.stream(plan.cacheMs()).mapToObj(AskOutcome::finite).toList());
        m.put("textEstimateMs", finite(plan.textMs()));
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
