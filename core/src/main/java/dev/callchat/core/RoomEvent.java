package dev.callchat.core;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened in a room, as {@link RoomEvents} receives it.
 *
 * <p>{@link #details()} holds, by type: {@code by} (the host who acted: removed, banned, locked, unlocked,
 * ended); {@code until} (banned: ISO-8601 instant); {@code message_id} and, only when the listener
 * {@linkplain RoomEvents#wantsMessageBodies() opts in}, {@code body} (message added); {@code file_id},
 * {@code file_name}, {@code file_type} and {@code file_size} (file shared).
 *
 * @param id          unique per event: a listener that sees an id twice (redelivery) drops the second
 * @param type        what happened
 * @param room        the room it happened in
 * @param at          when callchat learned of it
 * @param participant who it concerns (joined, left, author, sharer, removed, banned, new host), or {@code null}
 *                    for room-wide events (locked, unlocked, ended)
 * @param details     more about it, by type (see above); never null
 */
public record RoomEvent(String id, Type type, String room, Instant at, @Nullable String participant,
                        Map<String, String> details) {
    /** What happened. */
    public enum Type {
        /** A member connected to the room. */
        PARTICIPANT_JOINED,
        /** A member's connection left the room. */
        PARTICIPANT_LEFT,
        /** A chat message was added. */
        MESSAGE_ADDED,
        /** A file was shared in the chat. */
        FILE_SHARED,
        /** The host removed a member. */
        PARTICIPANT_REMOVED,
        /** The host banned an identity until a time. */
        PARTICIPANT_BANNED,
        /** The host locked the room. */
        ROOM_LOCKED,
        /** The host unlocked the room. */
        ROOM_UNLOCKED,
        /** The host ended the room for everyone. */
        ROOM_ENDED,
        /** Someone else hosts the room now (hand-over, or the host left). */
        HOST_CHANGED
    }

    /**
     * Checks required components and copies the details.
     *
     * @param id          unique per event
     * @param type        what happened
     * @param room        the room it happened in
     * @param at          when callchat learned of it
     * @param participant who it concerns, or {@code null} for room-wide events
     * @param details     more about it, by type
     */
    public RoomEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(at, "at");
        details = Map.copyOf(details);
    }

    /** Never prints a message body. */
    @Override
    public String toString() {
        Map<String, String> shown = new java.util.TreeMap<>(details);
        shown.computeIfPresent("body", (k, v) -> "<" + v.length() + " chars>");
        return "RoomEvent[id=" + id + ", type=" + type + ", room=" + room + ", at=" + at + ", participant=" + participant
                + ", details=" + shown + "]";
    }
}
