package dev.prism.streaming.runtime;

/** Metrics hook (the app binds it to Micrometer). Called from worker threads: implementations must be thread-safe. */
public interface StageListener {
    StageListener NONE = new StageListener() { };

    default void recordIn(String stage) { }

    default void recordOut(String stage, String topic) { }

    /** Handler time of a record that completed (including its dead-lettering), in nanoseconds. */
    default void processed(String stage, long nanos) { }

    /** One failed attempt (retried or not). */
    default void failed(String stage, Throwable t) { }

    default void deadLettered(String stage) { }

    /** Records behind the end of the assigned input partitions, summed over this runtime's workers. */
    default void lag(String stage, long totalLag) { }
}
