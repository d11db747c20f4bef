package dev.callchat.core.local;

import dev.callchat.core.spi.SharedFile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One room's members and chat history. Not thread-safe on its own: the hub calls it only while
 * holding the room's monitor, which also fixes one order of events for every member.
 */
final class Room {
    private final String name;
    private final Map<String, MemberConnection> members = new LinkedHashMap<>();
    /** Message {@code id} lives at {@code ring[(id - 1) % ring.length]}; ids are contiguous. */
    private final ChatMessage[] ring;
    private long nextId = 1;
    /** Each member's read horizon: the highest message id they have seen. Kept while the room lives. */
    private final Map<String, Long> read = new java.util.HashMap<>();
    private final RoomFiles files = new RoomFiles();
    private boolean removed;

    Room(String name, int historySize) {
        this.name = name;
        this.ring = new ChatMessage[historySize];
    }

    String name() {
        return name;
    }

    /** @return whether the hub has dropped this room (it emptied); a late joiner must fetch a fresh one */
    boolean removed() {
        return removed;
    }

    void markRemoved() {
        removed = true;
    }

    MemberConnection member(String identity) {
        return members.get(identity);
    }

    boolean isCurrent(MemberConnection connection) {
        return members.get(connection.identity()) == connection;
    }

    Collection<MemberConnection> members() {
        return members.values();
    }

    boolean isEmpty() {
        return members.isEmpty();
    }

    long videoMembers() {
        return members.values().stream().filter(MemberConnection::video).count();
    }

    /** Adds or replaces the member of that identity. */
    void put(MemberConnection connection) {
        members.put(connection.identity(), connection);
    }

    /** @return whether the connection was the current member and is now removed */
    boolean remove(MemberConnection connection) {
        return members.remove(connection.identity(), connection);
    }

    ChatMessage append(String author, String text, Instant at) {
        return append(author, text, at, null);
    }

    ChatMessage append(String author, String text, Instant at, SharedFile file) {
        ChatMessage message = new ChatMessage(nextId++, author, text, at, file);
        ring[(int) ((message.id() - 1) % ring.length)] = message;
        return message;
    }

    /** @return the id of the newest message, 0 when there is none yet */
    long lastId() {
        return nextId - 1;
    }

    /** Moves a member's read horizon forward (never back, never past the newest message). */
    void markRead(String identity, long id) {
        long capped = Math.min(id, lastId());
        read.merge(identity, capped, Math::max);
    }

    /**
     * Starts a first-time member's read horizon at the newest message: what was said before they ever
     * joined is history to them, not something they missed (a later rejoin keeps their real horizon).
     */
    void startReading(String identity) {
        read.putIfAbsent(identity, lastId());
    }

    /** @return the member's read horizon, 0 when they have read nothing */
    long readHorizon(String identity) {
        return read.getOrDefault(identity, 0L);
    }

    RoomFiles files() {
        return files;
    }

    /** A page of history. */
    record Page(List<ChatMessage> messages, boolean more) {
    }

    /**
     * @param before only messages with a smaller id; {@code Long.MAX_VALUE} for the newest page
     * @param size   the most messages to return
     * @return up to {@code size} messages just before {@code before}, oldest first, and whether older ones remain
     */
    Page page(long before, int size) {
        long oldest = Math.max(1, nextId - ring.length);
        long newest = Math.min(before - 1, nextId - 1);
        if (newest < oldest) {
            return new Page(List.of(), false);
        }
        long first = Math.max(oldest, newest - size + 1);
        List<ChatMessage> page = new ArrayList<>((int) (newest - first + 1));
        for (long id = first; id <= newest; id++) {
            page.add(ring[(int) ((id - 1) % ring.length)]);
        }
        return new Page(page, first > oldest);
    }
}
