package dev.prism.streaming;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Topic names, all under one configurable prefix (default {@code prism}): {@code prism.jobs},
 * {@code prism.transcripts}, ... so several Prism installations can share a cluster.
 */
public record Topics(String prefix) {

    public static final Topics DEFAULT = new Topics("prism");

    public Topics {
        if (prefix == null || !prefix.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("topic prefix '" + prefix
                    + "' is not a valid Kafka topic name part: use letters, digits, '.', '_' or '-'");
        }
    }

    public String jobs() { return prefix + ".jobs"; }
    /** Decoded audio windows (claim-check references to PCM in the media store). */
    public String audio() { return prefix + ".audio"; }
    /** Sampled video frames per segment (references). */
    public String frames() { return prefix + ".frames"; }
    public String visionTokens() { return prefix + ".vision.tokens"; }
    public String captions() { return prefix + ".captions"; }
    public String transcripts() { return prefix + ".transcripts"; }
    public String audioCodes() { return prefix + ".audio.codes"; }
    public String gaussians() { return prefix + ".gaussians"; }
    public String events() { return prefix + ".events"; }
    public String dlq() { return prefix + ".dlq"; }
    /** Compacted: resumption markers of long records (stage runtime checkpoints). */
    public String progress() { return prefix + ".progress"; }
    /** Follow-up questions about a finished job's video (answered from the cached context). */
    public String askRequests() { return prefix + ".ask"; }
    public String askAnswers() { return prefix + ".answers"; }

    /** Every topic with its partition count. */
    public Map<String, Integer> all(int partitions) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String t : new String[] {jobs(), audio(), frames(), visionTokens(), captions(), transcripts(),
                audioCodes(), gaussians(), events(), dlq(), askRequests(), askAnswers()}) {
            m.put(t, partitions);
        }
        m.put(progress(), 1);
        return m;
    }

    public Set<String> compacted() { return Set.of(progress()); }
}
