package dev.callchat.core.config;

import java.util.Objects;

/**
 * The three values that let callchat call Twilio and sign access tokens.
 *
 * @param accountSid   {@code AC} + 32 hex digits
 * @param apiKeySid    {@code SK} + 32 hex digits
 * @param apiKeySecret the API key's secret; never printed ({@link Secret})
 */
public record TwilioCredentials(String accountSid, String apiKeySid, Secret apiKeySecret) {
    /**
     * Checks that no component is null.
     *
     * @param accountSid   {@code AC} + 32 hex digits
     * @param apiKeySid    {@code SK} + 32 hex digits
     * @param apiKeySecret the API key's secret; never printed ({@link Secret}) ({@link Secret})
     */
    public TwilioCredentials {
        Objects.requireNonNull(accountSid, "accountSid");
        Objects.requireNonNull(apiKeySid, "apiKeySid");
        Objects.requireNonNull(apiKeySecret, "apiKeySecret");
    }

    /**
     * @param accountSid   {@code AC} + 32 hex digits
     * @param apiKeySid    {@code SK} + 32 hex digits
     * @param apiKeySecret the API key's secret
     * @return the credentials
     */
    public static TwilioCredentials of(String accountSid, String apiKeySid, String apiKeySecret) {
        return new TwilioCredentials(accountSid, apiKeySid, Secret.of(apiKeySecret));
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "TwilioCredentials[accountSid=" + accountSid + ", apiKeySid=" + apiKeySid + ", apiKeySecret=" + apiKeySecret + "]";
    }
}
