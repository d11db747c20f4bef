package dev.callchat.core.spi;

import dev.callchat.core.config.Config;

import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;

/**
 * Builds a {@link Provider}. {@code CallSessionService} finds factories with {@link java.util.ServiceLoader}
 * (register yours in {@code META-INF/services/dev.callchat.core.spi.ProviderFactory}) and uses the one whose
 * {@link #name()} equals {@link Config#providerName()}. Core ships {@code local}; the {@code callchat-twilio}
 * artifact adds {@code twilio}.
 */
public interface ProviderFactory {
    /** @return the name the configuration selects this provider by, such as {@code "local"} or {@code "twilio"} */
    String name();

    /**
     * @param config the whole configuration
     * @param clock  the time source for token expiry, caches and breakers
     * @return a ready provider; its resources are closed with the service
     */
    Provider create(Config config, Clock clock);

    /**
     * Builds a provider that records its meters (upstream calls, the local hub; names in
     * {@code dev.callchat.core.CallChatMeters}) on {@code meters}. The default ignores the registry, so factories
     * written before meters existed keep working.
     *
     * @param config the whole configuration
     * @param clock  the time source for token expiry, caches and breakers
     * @param meters where to record; an empty composite when the integrator gave none
     * @return a ready provider; its resources are closed with the service
     */
    default Provider create(Config config, Clock clock, MeterRegistry meters) {
        return create(config, clock);
    }
}
