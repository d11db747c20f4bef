package dev.callchat.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The per-client login token bucket: up to {@code capacity} logins, refilled at
 * {@code capacity} per {@code period}. Written {@code 30/min} in {@code CALLCHAT_LOGIN_RATE};
 * {@code off} disables limiting.
 *
 * @param capacity logins allowed per period (and the burst size); 0 means unlimited
 * @param period   the refill period
 */
public record LoginRate(int capacity, Duration period) {
    /** The default: 30 logins per minute per client. */
    public static final LoginRate DEFAULT = new LoginRate(30, Duration.ofMinutes(1));
    /** No limit. */
    public static final LoginRate UNLIMITED = new LoginRate(0, Duration.ofMinutes(1));

    /**
     * Checks the values.
     *
     * @param capacity logins allowed per period (and the burst size); 0 means unlimited
     * @param period   the refill period
     */
    public LoginRate {
        Objects.requireNonNull(period, "period");
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative");
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive");
        }
    }

    /** @return whether logins are limited at all */
    public boolean limited() {
        return capacity > 0;
    }

    @Override
    public String toString() {
        return limited() ? capacity + "/" + period : "off";
    }
}
