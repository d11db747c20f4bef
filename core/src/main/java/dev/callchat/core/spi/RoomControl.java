package dev.callchat.core.spi;

/**
 * What core asks a provider to do when a host acts: disconnect people, end a room, tell members
 * who hosts. Core calls it after it has decided and recorded the action, never while holding a lock
 * of its own; implementations must not block for long (the HTTP request of the host waits).
 * Providers that cannot act ({@link #NONE}) still get the login-side effects: bans and locks
 * refuse logins.
 */
public interface RoomControl {
    /** Does nothing: for providers without a way to disconnect anyone. */
    RoomControl NONE = new RoomControl() {
    };

    /**
     * Called once when the service is built, before any login.
     *
     * @param signals where the provider reports what happens in its rooms
     */
    default void bind(RoomSignals signals) {
    }

    /**
     * Disconnects one member from the video and the chat of a room.
     *
     * @param room     the room
     * @param identity the member
     * @param reason   why, for the member's page: {@link RoomSignals.Refusal#REMOVED} or {@link RoomSignals.Refusal#BANNED}
     * @param detail   a sentence for the member, such as "banned until 2026-12-02T10:00:00Z"
     */
    default void remove(String room, String identity, RoomSignals.Refusal reason, String detail) {
    }

    /**
     * Disconnects everyone from a room.
     *
     * @param room the room
     */
    default void end(String room) {
    }

    /**
     * Tells a room's members who hosts it now and whether it is locked.
     *
     * @param room   the room
     * @param status its host and lock
     */
    default void announce(String room, RoomSignals.Status status) {
    }
}
