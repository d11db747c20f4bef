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
 */
public record Provider(String name, ChatroomDirectory chatrooms, ParticipantRoster roster, TokenIssuer tokens,
                       Optional<RoomHub> localHub, AutoCloseable resources) {
    /**
     * Checks that no component is null.
     *
     * @param name      {@code "twilio"}, {@code "local"} or a custom name; reported by {@code /health} and logins
     * @param chatrooms finds or creates the chatroom of a room
     * @param roster    enrolls identities
     * @param tokens    signs access tokens
     * @param localHub  the in-process room hub, present only for the local provider
     * @param resources released when the service closes (thread pools, schedulers)
     */
    public Provider {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(chatrooms, "chatrooms");
        Objects.requireNonNull(roster, "roster");
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(localHub, "localHub");
        Objects.requireNonNull(resources, "resources");
    }
}
