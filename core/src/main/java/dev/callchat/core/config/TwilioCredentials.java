package dev.callchat.core.config;

import java.util.Objects;

/**
 * The three values that let callchat call Twilio and sign access tokens.
 *
 * @param accountSid   {@code AC} + 32 hex digits
 * @param apiKeySid    {@code SK} + 32 hex digits
 * @param apiKeySecret the API key's secret; never printed
 */
public record TwilioCredentials(String accountSid, String apiKeySid, String apiKeySecret) {
    /**
     * Checks that no component is null.
     *
     * @param accountSid   {@code AC} + 32 hex digits
     * @param apiKeySid    {@code SK} + 32 hex digits
     * @param apiKeySecret the API key's secret; never printed
     */
    public TwilioCredentials {
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(apiKeySid, "apiKeySid");
        Objects.requireNonNull(apiKeySecret, "apiKeySecret");
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "TwilioCredentials[accountSid=" + accountSid + ", apiKeySid=" + apiKeySid + ", apiKeySecret=<redacted>]";
    }
}
