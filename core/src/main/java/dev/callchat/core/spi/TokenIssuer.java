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
     * Checks a token this issuer signed, so that host actions are authorized by the server from the
     * caller's own token. The default knows no token: host actions then answer 401.
     *
     * @param jwt the compact JWT a client presented
     * @return who it was issued to, for which room, and until when; empty when the signature, shape or
     *         expiry is wrong
     */
    default java.util.Optional<VerifiedToken> verified(String jwt) {
        return java.util.Optional.empty();
    }

    /**
     * What a valid token says.
     *
     * @param identity  the identity it was issued to
     * @param room      the video room it grants
     * @param expiresAt when it stops being valid
     */
    record VerifiedToken(String identity, String room, Instant expiresAt) {
        /**
         * Checks that no component is null.
         *
         * @param identity  the identity it was issued to
         * @param room      the video room it grants
         * @param expiresAt when it stops being valid
         */
        public VerifiedToken {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

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
