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
 * @param chatStatus      whether the chat can be opened now ({@link ChatStatus#READY}), once a queued
 *                        enrollment completes ({@link ChatStatus#PENDING}), or not at all
 */
public record CallSession(String token, @Nullable String conversationSid, String room, String identity,
                          Instant expiresAt, boolean chat, String provider, ChatStatus chatStatus) {
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
     * @param chatStatus      whether the chat can be opened now, once a queued enrollment completes, or not at all
     */
    public CallSession {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(chatStatus, "chatStatus");
        if (chat == (chatStatus == ChatStatus.UNAVAILABLE)) {
            throw new IllegalArgumentException("chat " + chat + " contradicts chat status " + chatStatus);
        }
    }

    /**
     * A session whose chat is ready when {@code chat}, unavailable otherwise.
     *
     * @param token           the access token; a secret
     * @param conversationSid the chat's conversation SID, or {@code null} when chat is unavailable
     * @param room            the normalized video room name
     * @param identity        the normalized identity
     * @param expiresAt       when the token expires
     * @param chat            whether the token grants chat
     * @param provider        {@code "twilio"} or {@code "local"}
     */
    public CallSession(String token, @Nullable String conversationSid, String room, String identity,
                       Instant expiresAt, boolean chat, String provider) {
        this(token, conversationSid, room, identity, expiresAt, chat, provider,
                chat ? ChatStatus.READY : ChatStatus.UNAVAILABLE);
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "CallSession[identity=" + identity + ", room=" + room + ", conversationSid=" + conversationSid
                + ", expiresAt=" + expiresAt + ", chat=" + chat + ", chatStatus=" + chatStatus + ", provider=" + provider + ", token=<redacted>]";
    }
}
