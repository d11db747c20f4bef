package dev.callchat.core.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret from the configuration (an API key secret, a signing secret, a keystore password) that never
 * prints itself: {@link #toString()} is {@code <redacted>}, so a {@link Config}, an {@code Optional} or
 * a log line holding one cannot leak it by accident. Only {@link #reveal()} gives the value, to the one
 * place that needs it. Immutable.
 */
public final class Secret {
    private static final String REDACTED = "<redacted>";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * @param value the secret (not null)
     * @return the secret, wrapped
     */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value"));
    }

    /** @return the secret itself: hand it only to what needs it, never to a log, a message or an error */
    public String reveal() {
        return value;
    }

    /** @return the secret's UTF-8 bytes (a fresh copy) */
    public byte[] utf8() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** @return {@code <redacted>}, never the secret */
    @Override
    public String toString() {
        return REDACTED;
    }

    /** Compares in time independent of where the values differ. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that && MessageDigest.isEqual(utf8(), that.utf8());
    }

    /** @return the same for every secret: a hash of the value would tell something about it */
    @Override
    public int hashCode() {
        return Secret.class.hashCode();
    }
}
