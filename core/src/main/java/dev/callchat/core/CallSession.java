package dev.callchat.core;

import dev.callchat.core.config.IceServer;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
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
 * @param iceServers      STUN/TURN servers for the local provider's peer-to-peer calls, TURN credentials
 *                        expiring with the token; empty for Twilio (its SDK gets relays from Twilio)
 * @param role            what the identity may do in the room: {@link Role#HOST} may moderate it
 * @param host            who hosts the room now, or {@code null} when nobody does
 */
public record CallSession(String token, @Nullable String conversationSid, String room, String identity,
                          Instant expiresAt, boolean chat, String provider, ChatStatus chatStatus,
                          List<IceServer> iceServers, Role role, @Nullable String host) {
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
     * @param iceServers      STUN/TURN servers for the local provider's peer-to-peer calls, TURN credentials
     *                        expiring with the token; empty for Twilio (its SDK gets relays from Twilio)
     * @param role            what the identity may do in the room
     * @param host            who hosts the room now, or {@code null} when nobody does
     */
    public CallSession {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(chatStatus, "chatStatus");
        Objects.requireNonNull(role, "role");
        if (chat == (chatStatus == ChatStatus.UNAVAILABLE)) {
            throw new IllegalArgumentException("chat " + chat + " contradicts chat status " + chatStatus);
        }
        iceServers = List.copyOf(iceServers);
    }

    /**
     * A participant's session, the room's host not known.
     *
     * @param token           the access token; a secret
     * @param conversationSid the chat's conversation SID, or {@code null} when chat is unavailable
     * @param room            the normalized video room name
     * @param identity        the normalized identity
     * @param expiresAt       when the token expires
     * @param chat            whether the token grants chat
     * @param provider        {@code "twilio"} or {@code "local"}
     * @param chatStatus      whether the chat can be opened now, once a queued enrollment completes, or not at all
     * @param iceServers      STUN/TURN servers for the local provider's peer-to-peer calls
     */
    public CallSession(String token, @Nullable String conversationSid, String room, String identity,
                       Instant expiresAt, boolean chat, String provider, ChatStatus chatStatus,
                       List<IceServer> iceServers) {
        this(token, conversationSid, room, identity, expiresAt, chat, provider, chatStatus, iceServers,
                Role.PARTICIPANT, null);
    }

    /**
     * A session without ICE servers.
     *
     * @param token           the access token; a secret
     * @param conversationSid the chat's conversation SID, or {@code null} when chat is unavailable
     * @param room            the normalized video room name
     * @param identity        the normalized identity
     * @param expiresAt       when the token expires
     * @param chat            whether the token grants chat
     * @param provider        {@code "twilio"} or {@code "local"}
     * @param chatStatus      whether the chat can be opened now, once a queued enrollment completes, or not at all
     */
    public CallSession(String token, @Nullable String conversationSid, String room, String identity,
                       Instant expiresAt, boolean chat, String provider, ChatStatus chatStatus) {
        this(token, conversationSid, room, identity, expiresAt, chat, provider, chatStatus, List.of());
    }

    /**
     * A session without ICE servers whose chat is ready when {@code chat}, unavailable otherwise.
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
                + ", expiresAt=" + expiresAt + ", chat=" + chat + ", chatStatus=" + chatStatus + ", provider=" + provider
                + ", iceServers=" + iceServers + ", role=" + role + ", host=" + host + ", token=<redacted>]";
    }
}
