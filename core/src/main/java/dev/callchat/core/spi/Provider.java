package dev.callchat.core.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * One backend for steps 2-4 of a login: where chatrooms live, who is enrolled, who signs tokens.
 * Built by a {@link ProviderFactory}; tests and integrators may assemble their own.
 *
 * @param name      {@code "twilio"}, {@code "local"} or a custom name; reported by {@code /health} and logins
 * @param chatrooms finds or creates the chatroom of a room
 * @param roster    enrolls identities
 * @param tokens    signs access tokens
 * @param localHub  the in-process room hub, present only for the local provider
 * @param resources released when the service closes (thread pools, schedulers)
 * @param control   how host actions reach the provider's rooms ({@link RoomControl#NONE} when they cannot)
 */
public record Provider(String name, ChatroomDirectory chatrooms, ParticipantRoster roster, TokenIssuer tokens,
                       Optional<RoomHub> localHub, AutoCloseable resources, RoomControl control) {
    /**
     * Checks that no component is null.
     *
     * @param name      {@code "twilio"}, {@code "local"} or a custom name; reported by {@code /health} and logins
     * @param chatrooms finds or creates the chatroom of a room
     * @param roster    enrolls identities
     * @param tokens    signs access tokens
     * @param localHub  the in-process room hub, present only for the local provider
     * @param resources released when the service closes (thread pools, schedulers)
     * @param control   how host actions reach the provider's rooms ({@link RoomControl#NONE} when they cannot)
     */
    public Provider {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(chatrooms, "chatrooms");
        Objects.requireNonNull(roster, "roster");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(localHub, "localHub");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(control, "control");
    }

    /**
     * A provider whose rooms host actions cannot reach: bans and locks still refuse logins.
     *
     * @param name      {@code "twilio"}, {@code "local"} or a custom name; reported by {@code /health} and logins
     * @param chatrooms finds or creates the chatroom of a room
     * @param roster    enrolls identities
     * @param tokens    signs access tokens
     * @param localHub  the in-process room hub, present only for the local provider
     * @param resources released when the service closes (thread pools, schedulers)
     */
    public Provider(String name, ChatroomDirectory chatrooms, ParticipantRoster roster, TokenIssuer tokens,
                    Optional<RoomHub> localHub, AutoCloseable resources) {
        this(name, chatrooms, roster, tokens, localHub, resources, RoomControl.NONE);
    }
}
