package dev.callchat.twilio;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.TwilioCredentials;
import dev.callchat.core.spi.Provider;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds the Twilio provider: Conversations REST API (via twilio-java) for chatrooms and roster,
 * Twilio access tokens with video and chat grants.
 *
 * <p>Per login it costs at most: new room 3 calls (fetch 404, create, add participant), known
 * room not yet cached 2, cached room 1, refresh of a recent enrollment 0. Never lists conversations.
 */
public final class TwilioProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioProvider.class);
    private static final int MAX_CACHED_ROOMS = 10_000;
    private static final Duration ROOM_CACHE_EXPIRY = Duration.ofMinutes(30);
    private static final int MAX_REMEMBERED_ENROLLMENTS = 100_000;
    private static final Duration ENROLLMENT_MEMORY = Duration.ofMinutes(30);

    private TwilioProvider() {
    }

    /**
     * @param config configuration with Twilio credentials present
     * @param clock  time source for caches, the circuit breaker and {@code Retry-After} dates
     * @return the provider; its resources close the HTTP connection pool
     * @throws IllegalArgumentException when the configuration has no Twilio credentials
     */
    public static Provider create(Config config, Clock clock) {
        return create(config, clock, Resilience.DEFAULT);
    }

    /** As {@link #create(Config, Clock)}, with explicit retry and breaker settings (tests). */
    static Provider create(Config config, Clock clock, Resilience resilience) {
        return create(config, clock, resilience, breaker -> { });
    }

    /** As {@link #create(Config, Clock, Resilience)}, handing the circuit breaker to tests that assert its state. */
    static Provider create(Config config, Clock clock, Resilience resilience, Consumer<CircuitBreaker> breakerWatcher) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        TwilioCredentials credentials = config.twilio().orElseThrow(() -> new IllegalArgumentException(
                "the Twilio provider needs TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET"));
        UpstreamHttp http = new UpstreamHttp(config.upstreamTimeout(), config.apiBaseUrl(), resilience.maxConnections());
        ResilientCalls calls = new ResilientCalls(credentials, http, config.upstreamTimeout(), resilience, clock);
        calls.breaker().getEventPublisher().onStateTransition(event ->
                LOG.warn("Twilio Conversations circuit breaker: {}", event.getStateTransition()));
        breakerWatcher.accept(calls.breaker());
        ConversationsApi api = new ConversationsApi(calls, config.conversationsServiceSid());
        Ticker ticker = ticker(clock);

        LOG.info("twilio provider: account {}, API key {}, API base {}, Conversations service {}", credentials.accountSid(),
                credentials.apiKeySid(), config.apiBaseUrl().map(URI::toString).orElse("https://conversations.twilio.com"),
                config.conversationsServiceSid().orElse("(account default)"));
        return new Provider("twilio",
                new TwilioChatroomDirectory(api, config.conversationsServiceSid(), config.loginDeadline(), ticker,
                        MAX_CACHED_ROOMS, ROOM_CACHE_EXPIRY),
                new TwilioParticipantRoster(api, config.loginDeadline(), ticker, MAX_REMEMBERED_ENROLLMENTS,
                        ENROLLMENT_MEMORY),
                new TwilioTokenIssuer(credentials, config.tokenTtl()),
                Optional.empty(),
                http);
    }

    /** Cache expiry follows the injected clock, so tests expire entries by moving it, not by sleeping. */
    private static Ticker ticker(Clock clock) {
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }
}
