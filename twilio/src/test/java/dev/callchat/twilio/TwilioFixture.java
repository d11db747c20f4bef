package dev.callchat.twilio;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.testing.FakeTwilio;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Builds services against a {@link FakeTwilio} with retry waits short enough to test without real waiting. */
final class TwilioFixture {
    /** Millisecond back-offs, a small breaker window, the production Retry-After cap. */
    static final Resilience FAST = new Resilience(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5),
            Duration.ofSeconds(10), 10, 5, 50f, Duration.ofSeconds(30), 64);

    private TwilioFixture() {
    }

    static CallSessionService service(FakeTwilio fake) {
        return service(fake, Map.of(), Clock.systemUTC(), FAST);
    }

    static CallSessionService service(FakeTwilio fake, Map<String, String> overrides) {
        return service(fake, overrides, Clock.systemUTC(), FAST);
    }

    static CallSessionService service(FakeTwilio fake, Map<String, String> overrides, Clock clock, Resilience resilience) {
        Config config = fake.config(overrides);
        return CallSessionService.builder(config)
                .clock(clock)
                .provider(TwilioProvider.create(config, clock, resilience))
                .build();
    }
}
