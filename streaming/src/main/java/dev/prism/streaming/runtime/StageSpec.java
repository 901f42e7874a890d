package dev.prism.streaming.runtime;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Everything a {@link StageRuntime} needs to know about one stage. Start from {@link #of} and adjust
 * with the {@code with...} methods.
 *
 * @param name              stage name; consumer group {@code "prism-" + name}
 * @param inputTopics       topics the stage consumes (must exist)
 * @param concurrency       workers in this process, each with its own consumer and transactional producer
 * @param retry             retries before dead-lettering
 * @param dlqTopic          dead letters go here (created if missing, 1 partition)
 * @param progressTopic     compacted checkpoint topic (created if missing, 1 partition)
 * @param maxPollInterval   longest gap between polls before the group evicts a worker; a handler that
 *                          runs longer must call {@link StageContext#checkpoint} within it
 * @param maxPollRecords    records fetched per poll: in-flight work is at most concurrency x this
 * @param sessionTimeout    how long a crashed process keeps its partitions before the group moves them
 * @param transactionTimeout how long the broker keeps a crashed worker's open transaction (which holds
 *                          back read_committed readers) before aborting it
 * @param commitInterval    a batch's transaction is committed once it has been open this long
 * @param closeTimeout      how long {@link StageRuntime#close()} waits for in-flight records
 * @param instanceId        identifies this process: part of each worker's transactional.id. Keep it
 *                          stable across restarts of the same process so that a restart fences the
 *                          crashed one's open transactions at once; never share it between live processes.
 */
public record StageSpec(String name, List<String> inputTopics, int concurrency, RetryPolicy retry,
                        String dlqTopic, String progressTopic, Duration maxPollInterval, int maxPollRecords,
                        Duration sessionTimeout, Duration transactionTimeout, Duration commitInterval,
                        Duration closeTimeout, String instanceId) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    public StageSpec {
        requireName("stage name", name);
        if (inputTopics == null || inputTopics.isEmpty()) {
            throw new IllegalArgumentException("stage " + name + ": at least one input topic is needed");
        }
        inputTopics = List.copyOf(inputTopics);
        inputTopics.forEach(t -> requireName("input topic of stage " + name, t));
        requireName("dead-letter topic of stage " + name, dlqTopic);
        requireName("progress topic of stage " + name, progressTopic);
        requireName("instance id of stage " + name, instanceId);
        if (dlqTopic.equals(progressTopic) || inputTopics.contains(dlqTopic) || inputTopics.contains(progressTopic)) {
            throw new IllegalArgumentException("stage " + name + ": the dead-letter topic (" + dlqTopic + "), the progress"
                    + " topic (" + progressTopic + ") and the input topics " + inputTopics + " must all differ");
        }
        if (concurrency < 1 || maxPollRecords < 1) {
            throw new IllegalArgumentException("stage " + name + ": concurrency and maxPollRecords must be >= 1, got "
                    + concurrency + " and " + maxPollRecords);
        }
        if (retry == null) {
            throw new IllegalArgumentException("stage " + name + ": retry policy is required");
        }
        requirePositive(name, "maxPollInterval", maxPollInterval);
        requirePositive(name, "sessionTimeout", sessionTimeout);
        requirePositive(name, "transactionTimeout", transactionTimeout);
        requirePositive(name, "commitInterval", commitInterval);
        requirePositive(name, "closeTimeout", closeTimeout);
    }

    /** The eight settings named in the API document, with defaults for the rest. */
    public StageSpec(String name, List<String> inputTopics, int concurrency, RetryPolicy retry, String dlqTopic,
                     String progressTopic, Duration maxPollInterval, int maxPollRecords) {
        this(name, inputTopics, concurrency, retry, dlqTopic, progressTopic, maxPollInterval, maxPollRecords,
                Duration.ofSeconds(45), Duration.ofSeconds(60), Duration.ofMillis(500), Duration.ofSeconds(30),
                randomInstanceId());
    }

    /**
     * Defaults: one worker, {@link RetryPolicy#defaults()}, topics {@code prism.dlq} and
     * {@code prism.progress}, 5 min poll interval, 50 records per poll, 45 s session, 60 s
     * transaction timeout, 500 ms commit interval, 30 s close timeout, a random instance id.
     */
    public static StageSpec of(String name, String... inputTopics) {
        return new StageSpec(name, List.of(inputTopics), 1, RetryPolicy.defaults(), "prism.dlq", "prism.progress",
                Duration.ofMinutes(5), 50);
    }

    public String groupId() {
        return "prism-" + name;
    }

    public StageSpec withConcurrency(int n) {
        return new StageSpec(name, inputTopics, n, retry, dlqTopic, progressTopic, maxPollInterval, maxPollRecords,
                sessionTimeout, transactionTimeout, commitInterval, closeTimeout, instanceId);
    }

    public StageSpec withRetry(RetryPolicy r) {
        return new StageSpec(name, inputTopics, concurrency, r, dlqTopic, progressTopic, maxPollInterval,
                maxPollRecords, sessionTimeout, transactionTimeout, commitInterval, closeTimeout, instanceId);
    }

    public StageSpec withDlqTopic(String t) {
        return new StageSpec(name, inputTopics, concurrency, retry, t, progressTopic, maxPollInterval, maxPollRecords,
                sessionTimeout, transactionTimeout, commitInterval, closeTimeout, instanceId);
    }

    public StageSpec withProgressTopic(String t) {
        return new StageSpec(name, inputTopics, concurrency, retry, dlqTopic, t, maxPollInterval, maxPollRecords,
                sessionTimeout, transactionTimeout, commitInterval, closeTimeout, instanceId);
    }

    public StageSpec withMaxPollInterval(Duration d) {
        return new StageSpec(name, inputTopics, concurrency, retry, dlqTopic, progressTopic, d, maxPollRecords,
                sessionTimeout, transactionTimeout, commitInterval, closeTimeout, instanceId);
    }

    public StageSpec withMaxPollRecords(int n) {
        return new StageSpec(name, inputTopics, concurrency, retry, dlqTopic, progressTopic, maxPollInterval, n,
                sessionTimeout, transactionTimeout, commitInterval, closeTimeout, instanceId);
    }

    public StageSpec withSessionTimeout(Duration d) {
        return new StageSpec(name, inputTopics, concurrency, retry, dlqTopic, progressTopic, maxPollInterval,
                maxPollRecords, d, transactionTimeout, commitInterval, closeTimeout, instanceId);
    }

    public StageSpec withTransactionTimeout(Duration d) {
        return new StageSpec(name, inputTopics, concurrency, retry, dlqTopic, progressTopic, maxPollInterval,
                maxPollRecords, sessionTimeout, d, commitInterval, closeTimeout, instanceId);
    }

    public StageSpec withCommitInterval(Duration d) {
        return new StageSpec(name, inputTopics, concurrency, retry, dlqTopic, progressTopic, maxPollInterval,
                maxPollRecords, sessionTimeout, transactionTimeout, d, closeTimeout, instanceId);
    }

    public StageSpec withCloseTimeout(Duration d) {
        return new StageSpec(name, inputTopics, concurrency, retry, dlqTopic, progressTopic, maxPollInterval,
                maxPollRecords, sessionTimeout, transactionTimeout, commitInterval, d, instanceId);
    }

    public StageSpec withInstanceId(String id) {
        return new StageSpec(name, inputTopics, concurrency, retry, dlqTopic, progressTopic, maxPollInterval,
                maxPollRecords, sessionTimeout, transactionTimeout, commitInterval, closeTimeout, id);
    }

    static String randomInstanceId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static void requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be 1-100 characters of [A-Za-z0-9._-], got '" + value + "'");
        }
    }

    private static void requirePositive(String stage, String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("stage " + stage + ": " + what + " must be a positive duration, got " + d);
        }
    }
}
