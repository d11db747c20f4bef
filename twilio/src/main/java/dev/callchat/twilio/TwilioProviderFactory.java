package dev.callchat.twilio;

import dev.callchat.core.config.Config;
import dev.callchat.core.spi.Provider;
import dev.callchat.core.spi.ProviderFactory;

import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;

/** Registers the Twilio provider with core's {@link java.util.ServiceLoader} lookup, under the name {@code twilio}. */
public final class TwilioProviderFactory implements ProviderFactory {
    /** Called by {@link java.util.ServiceLoader}. */
    public TwilioProviderFactory() {
    }

    @Override
    public String name() {
        return "twilio";
    }

    @Override
    public Provider create(Config config, Clock clock) {
        return TwilioProvider.create(config, clock);
    }

    @Override
    public Provider create(Config config, Clock clock, MeterRegistry meters) {
        return TwilioProvider.create(config, clock, meters);
    }
}
