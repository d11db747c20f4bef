package dev.callchat.core;

/**
 * The application's listener for what happens in rooms (audit, billing, notifications), on both
 * providers. Register it with {@link CallSessionService.Builder#roomEvents(RoomEvents)}.
 *
 * <p>Delivery: on one callchat thread, in the order callchat learned of the events, never on a hub or
 * login thread. At least once: when {@link #accept} throws, the same event (same {@link RoomEvent#id()})
 * is delivered again, up to four attempts in all, so drop ids you have seen. Events wait in a bounded
 * queue ({@link CallSessionService#ROOM_EVENT_QUEUE} events); when a slow listener lets it fill up, new
 * events are dropped and counted ({@link CallSessionService#droppedRoomEvents()}) rather than slowing
 * every room's chat and every login down. See {@code docs/embedding.md#room-events}.
 */
@FunctionalInterface
public interface RoomEvents {
    /**
     * Receives one event.
     *
     * @param event what happened
     * @throws RuntimeException to have it delivered again (at most four attempts in all)
     */
    void accept(RoomEvent event);

    /**
     * @return whether {@link RoomEvent.Type#MESSAGE_ADDED} events carry the message text ({@code body});
     *         false by default, so chat text only leaves the chat when the application asks for it
     */
    default boolean wantsMessageBodies() {
        return false;
    }
}
