package dev.callchat.core;

import org.jspecify.annotations.Nullable;

/**
 * Who an {@link Authenticator} says is logging in, and optionally the role the application gives them.
 *
 * @param identity the raw identity; still normalized and validated by the {@link IdentityPolicy} (which
 *                 refuses a {@code null} one with 401, as it does a missing typed username)
 * @param role     {@link Role#HOST} or {@link Role#PARTICIPANT} as the application decides, or {@code null} to let
 *                 callchat's room rule decide (the first member of an empty room hosts it)
 */
public record AuthenticatedUser(@Nullable String identity, @Nullable Role role) {

    /**
     * @param identity the raw identity
     * @return a user whose role callchat's room rule decides
     */
    public static AuthenticatedUser of(@Nullable String identity) {
        return new AuthenticatedUser(identity, null);
    }

    /**
     * @param identity the raw identity
     * @return a user the application makes a host of every room they join
     */
    public static AuthenticatedUser host(String identity) {
        return new AuthenticatedUser(identity, Role.HOST);
    }

    /**
     * @param identity the raw identity
     * @return a user who never hosts, whatever the room's rule
     */
    public static AuthenticatedUser participant(String identity) {
        return new AuthenticatedUser(identity, Role.PARTICIPANT);
    }
}
