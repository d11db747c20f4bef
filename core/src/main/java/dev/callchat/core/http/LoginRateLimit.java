package dev.callchat.core.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.callchat.core.config.LoginRate;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Optional;

/**
 * A token bucket per client key. Buckets live in a bounded cache: an idle bucket refills
 * completely within one period, so forgetting it after that loses nothing, and a flood of
 * distinct addresses cannot grow memory without bound.
 */
final class LoginRateLimit {
    private static final int MAX_CLIENTS = 100_000;

    private final LoginRate rate;
    private final Cache<String, Bucket> buckets;

    LoginRateLimit(LoginRate rate) {
        this.rate = rate;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_CLIENTS)
                .expireAfterAccess(rate.period())
                .build();
    }

    /** @return empty when the login may proceed, else how long the client should wait */
    Optional<Duration> tryAcquire(String clientKey) {
        if (!rate.limited()) {
            return Optional.empty();
        }
        Bucket bucket = buckets.get(clientKey, key -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(rate.capacity()).refillGreedy(rate.capacity(), rate.period()).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }
}
