package dev.callchat.core.local;

import dev.callchat.core.Provider;
import dev.callchat.core.config.Config;

import java.time.Clock;

/** Builds the embedded local provider: in-memory chatrooms, HS256 tokens, and the {@link LocalRoomHub}. */
public final class LocalProvider {
    private LocalProvider() {
    }

    /**
     * @param config configuration (no Twilio credentials needed)
     * @param clock  time source
     * @return the provider
     */
    public static Provider create(Config config, Clock clock) {
        throw new UnsupportedOperationException("TODO(issue 4): local provider");
    }
}
