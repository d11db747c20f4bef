package dev.callchat.core;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Objects;

/**
 * What a successful login hands back: everything a browser needs to join the call and its chat.
 *
 * @param token           the access token (video grant, plus chat grant when {@code chat}); a secret
 * @param conversationSid the chat's conversation SID, or {@code null} when chat is unavailable
 * @param room            the normalized video room name
 * @param identity        the normalized identity
 * @param expiresAt       when the token expires
 * @param chat            whether the token grants chat
 * @param provider        {@code "twilio"} or {@code "local"}
 */
public record CallSession(String token, @Nullable String conversationSid, String room, String identity,
                          Instant expiresAt, boolean chat, String provider) {
    /**
     * Checks required components.
     *
     * @param token           the access token (video grant, plus chat grant when {@code chat}); a secret
     * @param conversationSid the chat's conversation SID, or {@code null} when chat is unavailable
     * @param room            the normalized video room name
     * @param identity        the normalized identity
     * @param expiresAt       when the token expires
     * @param chat            whether the token grants chat
     * @param provider        {@code "twilio"} or {@code "local"}
     */
    public CallSession {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(provider, "provider");
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "CallSession[identity=" + identity + ", room=" + room + ", conversationSid=" + conversationSid
                + ", expiresAt=" + expiresAt + ", chat=" + chat + ", provider=" + provider + ", token=<redacted>]";
    }
}
