package dev.callchat.core.http;

import dev.callchat.core.CallChatMeters;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link CallChatMeters#HTTP_REQUESTS}, recorded here once so that every adapter reports the same names and tags,
 * plus the login outcomes decided before a login reaches the service (refused input, rate limit).
 */
final class HttpMeters {
    /** Any other method token a client sends is tagged {@code OTHER}: tags must stay a bounded set. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
            "TRACE", "CONNECT");

    private final MeterRegistry registry;
    private final Meter.MeterProvider<Timer> requests;
    /**
     * The timers already looked up: a hit costs one hash of three fields instead of building, sorting and
     * hashing four tags. Bounded like the tags themselves (known methods, route templates, statuses).
     */
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    private record Key(String method, String uri, int status) {
    }
    private final Timer loginRefused;
    private final Timer loginRateLimited;

    HttpMeters(MeterRegistry registry, String provider) {
        this.registry = registry;
        this.requests = Timer.builder(CallChatMeters.HTTP_REQUESTS)
                .description("HTTP requests by method, route template, status and outcome")
                .withRegistry(registry);
        this.loginRefused = login(provider, CallChatMeters.LOGIN_REFUSED);
        this.loginRateLimited = login(provider, CallChatMeters.LOGIN_RATE_LIMITED);
    }

    private Timer login(String provider, String outcome) {
        return Timer.builder(CallChatMeters.LOGINS).tag("provider", provider).tag("outcome", outcome).register(registry);
    }

    long start() {
        return registry.config().clock().monotonicTime();
    }

    void request(String method, String uri, int status, long start) {
        String tagged = METHODS.contains(method) ? method : "OTHER";
        timers.computeIfAbsent(new Key(tagged, uri, status), key -> requests.withTags(Tags.of("method", key.method(),
                        "uri", key.uri(), "status", Integer.toString(key.status()),
                        "outcome", Outcome.forStatus(key.status()).name())))
                .record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
    }

    void loginRefused(long start) {
        loginRefused.record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
    }

    void loginRateLimited(long start) {
        loginRateLimited.record(registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
    }
}
