package dev.callchat.core.spi;

/**
 * Finds the chatroom of a call, creating it on first use. Implementations cache rooms and make
 * concurrent first lookups of one room cost a single upstream fetch/create (single-flight).
 */
public interface ChatroomDirectory {
    /**
     * @param roomName a room name already validated by the {@code IdentityPolicy}
     * @return the room's chatroom, created if it did not exist
     * @throws dev.callchat.core.CallChatException {@link dev.callchat.core.ErrorKind#SERVICE_UNAVAILABLE} when the chat backend is
     *                           unreachable, {@link dev.callchat.core.ErrorKind#UPSTREAM_REJECTED} when it rejects
     *                           our credentials
     */
    Chatroom findOrCreate(String roomName);

    /**
     * Like {@link #findOrCreate(String)}, within the login's time budget. Upstream implementations
     * bound their calls, retries and waits by it; the default ignores it.
     *
     * @param roomName a room name already validated by the {@code IdentityPolicy}
     * @param deadline the time left for the upstream part of this login
     * @return the room's chatroom, created if it did not exist
     * @throws dev.callchat.core.CallChatException as {@link #findOrCreate(String)}; {@link dev.callchat.core.ErrorKind#SERVICE_UNAVAILABLE}
     *                           also when the deadline passes
     */
    default Chatroom findOrCreate(String roomName, Deadline deadline) {
        return findOrCreate(roomName);
    }

    /**
     * Forgets a cached chatroom, so the next {@link #findOrCreate} asks upstream again.
     *
     * @param roomName the room to forget
     */
    void evict(String roomName);
}
