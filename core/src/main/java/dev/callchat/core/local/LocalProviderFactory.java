package dev.callchat.core.local;

import dev.callchat.core.config.Config;
import dev.callchat.core.spi.Provider;
import dev.callchat.core.spi.ProviderFactory;

import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;

/** Registers the local provider with core's {@link java.util.ServiceLoader} lookup, under the name {@code local}. */
public final class LocalProviderFactory implements ProviderFactory {
    /** Called by {@link java.util.ServiceLoader}. */
    public LocalProviderFactory() {
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Provider create(Config config, Clock clock) {
        return LocalProvider.create(config, clock);
    }

    @Override
    public Provider create(Config config, Clock clock, MeterRegistry meters) {
        return LocalProvider.create(config, clock, HubLimits.defaults(), meters);
    }
}
