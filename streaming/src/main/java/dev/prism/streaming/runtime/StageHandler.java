package dev.prism.streaming.runtime;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A stage's transformation of one input record. Throwing {@link NonRetryableException} dead-letters
 * the record at once; any other exception is retried per the stage's {@link RetryPolicy}.
 */
@FunctionalInterface
public interface StageHandler {
    void handle(ConsumerRecord<String, byte[]> in, StageContext ctx) throws Exception;
}
