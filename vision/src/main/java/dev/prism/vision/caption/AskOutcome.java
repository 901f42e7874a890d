package dev.prism.vision.caption;

import java.util.LinkedHashMap;
import java.util.Map;

/** A follow-up answer and how it was computed: from the stored context at a CacheGen level, or from text. */
public record AskOutcome(Answer answer, AskPlanner.Plan plan) {
    /**
     * Report fields: path ("cache" or "text"), level (0 for text), the estimates the choice was made on; a value that
     * does not exist (no deadline, a level not stored, text not estimated) is left out, so no field is null.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", plan.path() == AskPlanner.Path.CACHE ? "cache" : "text");
        m.put("level", plan.level());
        putFinite(m, "estimatedMs", plan.estimatedMs());
        putFinite(m, "deadlineMs", plan.deadlineMs());
        m.put("bandwidthBytesPerSecond", plan.bandwidthBytesPerSecond());
        for (int l = 1; l <= 3; l++) {
            putFinite(m, "cacheEstimateMsLevel" + l, plan.cacheMs()[l - 1]);
        }
        putFinite(m, "textEstimateMs", plan.textMs());
        return m;
    }

    private static void putFinite(Map<String, Object> m, String key, double v) {
        if (Double.isFinite(v)) {
            m.put(key, v);
        }
    }
}
