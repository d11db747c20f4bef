package dev.callchat.twilio;

import java.time.Duration;

/**
 * How hard the Twilio provider tries before it gives up: retry back-off and the circuit breaker.
 * {@link #DEFAULT} suits production; tests pass tighter values so they run without real waiting.
 *
 * @param maxAttempts          tries per upstream call, the first included (the login deadline may cut them short)
 * @param initialBackoff       first back-off; doubles per retry, with jitter
 * @param maxBackoff           longest back-off between two tries
 * @param retryAfterCap        longest {@code Retry-After} we honour by waiting; a longer one ends the retries
 * @param defaultRetryAfter    the retry hint given to our caller when Twilio gave none
 * @param breakerWindow        calls the circuit breaker looks back on
 * @param breakerMinimumCalls  calls needed before the breaker may open
 * @param breakerFailureRate   failure percentage that opens the breaker
 * @param breakerOpenWait      how long the open breaker refuses calls before probing again
 * @param maxConnections       HTTP connection pool size
 */
record Resilience(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration retryAfterCap,
                  Duration defaultRetryAfter, int breakerWindow, int breakerMinimumCalls, float breakerFailureRate,
                  Duration breakerOpenWait, int maxConnections) {

    static final Resilience DEFAULT = new Resilience(4, Duration.ofMillis(200), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), 20, 10, 50f, Duration.ofSeconds(30), 64);

    Resilience {
        if (maxAttempts < 1 || breakerWindow < 1 || breakerMinimumCalls < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("counts must be positive");
        }
    }
}
