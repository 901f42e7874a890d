package dev.prism.streaming.runtime;

import java.time.Duration;

/**
 * How often a failing record is retried before it goes to the dead-letter topic, and how long to
 * wait between attempts: attempt {@code n} (1-based) that fails waits
 * {@code min(initialBackoff * multiplier^(n-1), maxBackoff)} before attempt {@code n + 1}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.isNegative() || maxBackoff == null || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoffs must be non-negative durations, got "
                    + initialBackoff + " and " + maxBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1, got " + multiplier);
        }
    }

    /** Three attempts, 200 ms then 400 ms between them, never more than 10 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(200), 2.0, Duration.ofSeconds(10));
    }

    /** One attempt: every failure goes straight to the dead-letter topic. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO);
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    public Duration backoffAfter(int attempt) {
        double ms = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return Duration.ofMillis((long) Math.min(ms, (double) maxBackoff.toMillis()));
    }
}
