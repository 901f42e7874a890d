package dev.prism.streaming.runtime;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the dead letter of a record: its original key, value and headers, plus headers saying why
 * and where from. Header values are UTF-8 text.
 */
public final class DeadLetters {
    public static final String REASON = "prism.dlq.reason";
    public static final String EXCEPTION = "prism.dlq.exception";
    public static final String STAGE = "prism.dlq.stage";
    public static final String TOPIC = "prism.dlq.topic";
    public static final String PARTITION = "prism.dlq.partition";
    public static final String OFFSET = "prism.dlq.offset";
    public static final String ATTEMPTS = "prism.dlq.attempts";
    private static final int MAX_REASON_CHARS = 2000;

    private DeadLetters() {
    }

    static ProducerRecord<String, byte[]> of(String dlqTopic, String stage, ConsumerRecord<String, byte[]> in,
                                            String reason, String exceptionClass, int attempts) {
        RecordHeaders h = new RecordHeaders();
        for (Header header : in.headers()) {
            h.add(header.key(), header.value());
        }
        String r = reason == null || reason.isBlank() ? exceptionClass : reason;
        if (r.length() > MAX_REASON_CHARS) {
            r = r.substring(0, MAX_REASON_CHARS) + "...";
        }
        h.add(REASON, utf8(r));
        h.add(EXCEPTION, utf8(exceptionClass));
        h.add(STAGE, utf8(stage));
        h.add(TOPIC, utf8(in.topic()));
        h.add(PARTITION, utf8(Integer.toString(in.partition())));
        h.add(OFFSET, utf8(Long.toString(in.offset())));
        h.add(ATTEMPTS, utf8(Integer.toString(attempts)));
        return new ProducerRecord<>(dlqTopic, null, in.key(), in.value(), h);
    }

    /** The text of header {@code name} in a dead letter's headers, or null. */
    public static String header(Iterable<Header> headers, String name) {
        String value = null;
        for (Header h : headers) {
            if (h.key().equals(name) && h.value() != null) {
                value = new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        return value;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
