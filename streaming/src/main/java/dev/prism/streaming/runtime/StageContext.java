package dev.prism.streaming.runtime;

import java.util.Map;
import java.util.Optional;

/** What a handler may do while it processes one input record. Not thread-safe: use it from the handler's thread. */
public interface StageContext {
    /** Output record, part of the current transaction (visible to read_committed consumers on commit). */
    void send(String topic, String key, byte[] value);

    void send(String topic, String key, byte[] value, Map<String, byte[]> headers);

    /**
     * For long records (a whole video decode): commit what was sent so far together with a progress
     * marker for THIS input record, in one transaction; the input offset stays uncommitted. After a
     * crash the record is re-delivered and {@link #progress()} returns the last committed marker, so
     * the handler resumes without duplicating outputs. Also keeps the consumer's group membership
     * alive. Throws {@link StageStoppedException} (after committing) when the worker is shutting
     * down or lost the partition: the handler should let it propagate.
     */
    void checkpoint(byte[] progress);

    /** The last committed checkpoint of this input record, empty on its first delivery. */
    Optional<byte[]> progress();

    /** True once graceful shutdown began: a long handler should checkpoint and return promptly. */
    boolean stopping();

    /** 1-based attempt number of this record. */
    int attempt();
}
