package dev.callchat.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@link CallChatMeters#LOGINS} timers of one provider, registered once so a login only records. */
final class LoginMeters {
    private final MeterRegistry registry;
    private final Map<String, Timer> byOutcome;

    LoginMeters(MeterRegistry registry, String provider) {
        this.registry = registry;
        this.byOutcome = Map.of(
                CallChatMeters.LOGIN_OK, timer(registry, provider, CallChatMeters.LOGIN_OK),
                CallChatMeters.LOGIN_VIDEO_ONLY, timer(registry, provider, CallChatMeters.LOGIN_VIDEO_ONLY),
                CallChatMeters.LOGIN_REFUSED, timer(registry, provider, CallChatMeters.LOGIN_REFUSED),
                CallChatMeters.LOGIN_RATE_LIMITED, timer(registry, provider, CallChatMeters.LOGIN_RATE_LIMITED),
                CallChatMeters.LOGIN_ERROR, timer(registry, provider, CallChatMeters.LOGIN_ERROR));
    }

    static Timer timer(MeterRegistry registry, String provider, String outcome) {
        return Timer.builder(CallChatMeters.LOGINS)
                .description("Logins by provider and outcome, and how long they took")
                .tag("provider", provider)
                .tag("outcome", outcome)
                .register(registry);
    }

    /** @return how a refusal counts: the client's fault, the rate limit, or ours/upstream's */
    static String outcome(ErrorKind kind) {
        if (kind == ErrorKind.TOO_MANY_REQUESTS) {
            return CallChatMeters.LOGIN_RATE_LIMITED;
        }
        return kind.status() < 500 ? CallChatMeters.LOGIN_REFUSED : CallChatMeters.LOGIN_ERROR;
    }

    long start() {
        return registry.config().clock().monotonicTime();
    }

    void record(String outcome, long start) {
        byOutcome.get(outcome).record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
    }
}
