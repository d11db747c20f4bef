package dev.callchat.core.twilio;

import dev.callchat.core.Provider;
import dev.callchat.core.config.Config;

import java.time.Clock;

/** Builds the Twilio provider: Conversations REST API for chatrooms and roster, Twilio access tokens. */
public final class TwilioProvider {
    private TwilioProvider() {
    }

    /**
     * @param config configuration with Twilio credentials present
     * @param clock  time source
     * @return the provider
     */
    public static Provider create(Config config, Clock clock) {
        throw new UnsupportedOperationException("TODO(issue 2): Twilio provider");
    }
}
