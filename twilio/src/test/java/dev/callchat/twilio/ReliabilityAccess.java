package dev.callchat.twilio;

import dev.callchat.core.config.Config;
import dev.callchat.core.spi.Provider;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens the Twilio provider's package-private knobs to the reliability tests in
 * {@code dev.callchat.core.reliability}: retry and breaker settings, and the breaker itself.
 */
public final class ReliabilityAccess {
    private ReliabilityAccess() {
    }

    /**
     * A Twilio provider and the circuit breaker all its calls go through.
     *
     * @param provider the provider
     * @param breaker  its breaker, on the clock the provider was built with
     */
    public record WatchedProvider(Provider provider, CircuitBreaker breaker) {
    }

    /**
     * @param config             configuration with Twilio credentials
     * @param clock              the breaker's and caches' clock
     * @param maxAttempts        tries per upstream call
     * @param backoff            first back-off (doubling, capped at 5x)
     * @param breakerWindow      calls the breaker looks back on
     * @param breakerMinimumCalls calls before it may open
     * @param breakerOpenWait    how long it stays open
     * @return the provider with its breaker
     */
    public static WatchedProvider create(Config config, Clock clock, int maxAttempts, Duration backoff,
                                         int breakerWindow, int breakerMinimumCalls, Duration breakerOpenWait) {
        Resilience resilience = new Resilience(maxAttempts, backoff, backoff.multipliedBy(5), Duration.ofSeconds(5),
                Duration.ofSeconds(10), breakerWindow, breakerMinimumCalls, 50f, breakerOpenWait, 64);
        AtomicReference<CircuitBreaker> breaker = new AtomicReference<>();
        Provider provider = TwilioProvider.create(config, clock, resilience, breaker::set);
        return new WatchedProvider(provider, breaker.get());
    }
}
