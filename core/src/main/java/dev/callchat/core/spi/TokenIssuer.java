package dev.callchat.core.spi;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Objects;

/** Signs the one access token a login hands back, granting the video room and (optionally) the chat. */
public interface TokenIssuer {
    /**
     * @param identity  the validated identity the token is for
     * @param videoRoom the video room the token grants
     * @param chatroom  the chatroom to grant, or {@code null} for a video-only token
     * @return the signed token and its expiry
     */
    IssuedToken issue(String identity, String videoRoom, @Nullable Chatroom chatroom);

    /**
     * A signed access token.
     *
     * @param jwt       the compact JWT; treat as a secret (never log it)
     * @param expiresAt when it stops being valid
     */
    record IssuedToken(String jwt, Instant expiresAt) {
        /**
         * Checks that no component is null.
         *
         * @param jwt       the compact JWT; treat as a secret (never log it)
         * @param expiresAt when it stops being valid
         */
        public IssuedToken {
            Objects.requireNonNull(jwt, "jwt");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }

        /** Never prints the token itself. */
        @Override
        public String toString() {
            return "IssuedToken[jwt=<redacted>, expiresAt=" + expiresAt + "]";
        }
    }
}
