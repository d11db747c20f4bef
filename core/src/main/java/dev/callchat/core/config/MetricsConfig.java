package dev.callchat.core.config;

import java.util.OptionalInt;

/**
 * How the runnable servers expose their meters ({@code CALLCHAT_METRICS}, {@code CALLCHAT_METRICS_PORT}).
 * Part of {@link ServerConfig} (read by {@link EnvironmentConfig#server()}); libraries embedding callchat
 * ignore it: they pass their own registry to the service.
 *
 * <p>{@code GET /metrics} is on by default, on the main port: the servers listen on 127.0.0.1 unless
 * {@code HOST} says otherwise, and the scrape holds only counts and timings with bounded tags, never an
 * identity, room name or path. A server exposed beyond localhost should move it to a port that only the
 * Prometheus network reaches ({@code CALLCHAT_METRICS_PORT}), or turn it off.
 *
 * @param enabled whether meters are recorded and {@code /metrics} served at all ({@code CALLCHAT_METRICS}, default true)
 * @param port    a separate port serving only {@code /metrics} (and the health probes); empty serves it on
 *                the main port
 */
public record MetricsConfig(boolean enabled, OptionalInt port) {
    /**
     * Checks the port's range.
     *
     * @param enabled whether {@code /metrics} is served at all
     * @param port    a separate port for it; empty for the main port
     */
    public MetricsConfig {
        if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("metrics port out of range: " + port.getAsInt());
        }
    }

    /** @return the defaults: {@code /metrics} on the main port */
    public static MetricsConfig defaults() {
        return new MetricsConfig(true, OptionalInt.empty());
    }
}
