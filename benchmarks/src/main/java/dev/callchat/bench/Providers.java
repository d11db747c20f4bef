package dev.callchat.bench;

import dev.callchat.core.config.Config;
import dev.callchat.testing.FakeTwilio;

import java.util.Map;

/** Configurations the benchmarks build core's providers from. */
final class Providers {
    /** The fake Twilio's credentials; only ever sent to the fake on loopback. */
    static final String ACCOUNT_SID = FakeTwilio.ACCOUNT_SID;
    static final String API_KEY_SID = FakeTwilio.API_KEY_SID;
    static final String API_KEY_SECRET = FakeTwilio.API_KEY_SECRET;
    static final String SERVICE_SID = FakeTwilio.DEFAULT_SERVICE_SID;
    static final String LOCAL_SECRET = "bench-local-secret-0123456789abcdef";

    private Providers() {
    }

    static Config localConfig() {
        return Config.from(Map.of("CALLCHAT_LOCAL_SECRET", LOCAL_SECRET, "CALLCHAT_LOGIN_RATE", "off"));
    }

    /** @param apiBaseUrl where the Twilio provider sends REST calls: the fake Twilio on loopback */
    static Config twilioConfig(String apiBaseUrl) {
        return Config.from(Map.of(
                "TWILIO_ACCOUNT_SID", ACCOUNT_SID,
                "TWILIO_API_KEY_SID", API_KEY_SID,
                "TWILIO_API_KEY_SECRET", API_KEY_SECRET,
                "TWILIO_API_BASE_URL", apiBaseUrl,
                "CALLCHAT_LOGIN_RATE", "off"));
    }
}
