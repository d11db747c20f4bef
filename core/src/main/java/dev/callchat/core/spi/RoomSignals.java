package dev.callchat.core.spi;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * What a provider reports to core about its rooms: who connects, who leaves, what is said and shared.
 * Core keeps hosts, locks and bans from it and turns it into {@code RoomEvents} for the application.
 * Implemented by core; thread-safe; never blocks on the application's listener. A provider calls it
 * while holding none of its own locks (core may call back into its {@link RoomControl}).
 */
public interface RoomSignals {
    /** Ignores everything and admits everyone: for a provider used without a service. */
    RoomSignals NONE = new RoomSignals() {
    };

    /** Why a connection is refused or closed by moderation. */
    enum Refusal {
        /** The host removed the member; a fresh login lets them back in (unless banned). */
        REMOVED,
        /** The member is banned from the room until a time. */
        BANNED,
        /** The room is locked and the identity is not one of its members. */
        LOCKED,
        /** The host ended the room; tokens from before that no longer connect. */
        ENDED
    }

    /**
     * A room's host and lock.
     *
     * @param host   the identity that hosts the room, or {@code null} when nobody does right now
     * @param locked whether the room refuses new members
     */
    record Status(@Nullable String host, boolean locked) {
    }

    /**
     * Whether an identity holding a valid token may connect to a room now. Providers ask before a
     * connection joins (the local hub) or as soon as they see it (Twilio: removed again when not).
     *
     * @param room     the room
     * @param identity the identity
     * @return null when admitted, else why not
     */
    default @Nullable Refusal refusal(String room, String identity) {
        return null;
    }

    /**
     * @param room the room
     * @return its host and lock, as the provider should show them to a member that joins
     */
    default Status status(String room) {
        return new Status(null, false);
    }

    /**
     * A member's connection joined a room.
     *
     * @param room     the room
     * @param identity the member
     */
    default void joined(String room, String identity) {
    }

    /**
     * A member's connection left a room (closed, replaced, removed or dropped).
     *
     * @param room     the room
     * @param identity the member
     */
    default void left(String room, String identity) {
    }

    /**
     * A chat message was added to a room.
     *
     * @param room      the room
     * @param messageId the message's id within the room's chat
     * @param author    who wrote it
     * @param at        when it was added
     * @param body      its text (passed on to the application only when it opted in)
     */
    default void messageAdded(String room, String messageId, String author, Instant at, String body) {
    }

    /**
     * A file was shared in a room's chat.
     *
     * @param room the room
     * @param file the file
     * @param by   who shared it
     * @param at   when
     */
    default void fileShared(String room, SharedFile file, String by, Instant at) {
    }
}
