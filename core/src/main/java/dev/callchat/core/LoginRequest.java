package dev.callchat.core;

import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * A login as it arrives: raw, not yet validated.
 *
 * @param username the typed name, or {@code null} (an {@link Authenticator} may not need it)
 * @param room     the room to join, or {@code null} for the configured default room
 * @param context  the request it came from
 */
public record LoginRequest(@Nullable String username, @Nullable String room, RequestContext context) {
    /**
     * Defaults a null context to {@link RequestContext#none()}.
     *
     * @param username the typed name, or {@code null} (an {@link Authenticator} may not need it)
     * @param room     the room to join, or {@code null} for the configured default room
     * @param context  the request it came from
     */
    public LoginRequest {
        context = Objects.requireNonNullElseGet(context, RequestContext::none);
    }

    /**
     * @param username the typed name
     * @param room     the room, or {@code null} for the default
     * @return a request with no HTTP context
     */
    public static LoginRequest of(String username, String room) {
        return new LoginRequest(username, room, RequestContext.none());
    }
}
