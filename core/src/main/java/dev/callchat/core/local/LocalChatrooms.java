package dev.callchat.core.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.ChatroomDirectory;
import dev.callchat.core.spi.ParticipantRoster;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory chatrooms with Twilio-shaped SIDs (one {@code CH…} per room, one {@code IS…} service per
 * process) and who was enrolled in each. A room's entry lives while the hub has members in it, and
 * for one token lifetime after the last login to it or the last member leaving, whichever is later:
 * as long as someone may still use what a login returned, the SID stays the same; after that it is
 * forgotten, so logins to ever new room names cost no memory for good (docs/local-protocol.md).
 */
final class LocalChatrooms implements ChatroomDirectory, ParticipantRoster, RoomOccupancy {
    /** Unbounded lifetime for Caffeine (it caps durations near 150 years). */
    private static final long FOREVER = Long.MAX_VALUE;

    /**
     * @param chatroom the room's chatroom
     * @param enrolled identities enrolled by logins (a concurrent set)
     * @param occupied whether the hub has members in the room right now
     */
    private record Entry(Chatroom chatroom, Set<String> enrolled, boolean occupied) {
    }

    private final String serviceSid;
    private final SecureRandom random;
    private final Cache<String, Entry> rooms;

    /**
     * @param serviceSid the process's {@code IS…} SID
     * @param random     source of SIDs
     * @param idle       how long a room nobody is in is remembered after its last login (the token lifetime)
     * @param clock      time source; it drives expiry, so tests advance it rather than wait
     */
    LocalChatrooms(String serviceSid, SecureRandom random, Duration idle, Clock clock) {
        this.serviceSid = Objects.requireNonNull(serviceSid, "serviceSid");
        this.random = Objects.requireNonNull(random, "random");
        long idleNanos = idle.toNanos();
        long origin = clock.millis();
        this.rooms = Caffeine.newBuilder()
                .ticker(() -> (clock.millis() - origin) * 1_000_000L)
                .executor(Runnable::run) // expire on the caller's thread: no background work, deterministic in tests
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String room, Entry entry, long now) {
                        return entry.occupied() ? FOREVER : idleNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String room, Entry entry, long now, long current) {
                        return entry.occupied() ? FOREVER : idleNanos;
                    }

                    @Override
                    public long expireAfterRead(String room, Entry entry, long now, long current) {
                        return entry.occupied() ? current : idleNanos; // a login: its token lives this long
                    }
                })
                .build();
    }

    @Override
    public Chatroom findOrCreate(String roomName) {
        Objects.requireNonNull(roomName, "roomName");
        return rooms.get(roomName, name -> newEntry(name, false)).chatroom();
    }

    /** The cache is the source of truth here, not a copy of something upstream: nothing to refresh. */
    @Override
    public void evict(String roomName) {
        // Nothing to refresh.
    }

    @Override
    public void enroll(Chatroom chatroom, String identity) {
        Objects.requireNonNull(chatroom, "chatroom");
        Objects.requireNonNull(identity, "identity");
        Entry entry = rooms.getIfPresent(chatroom.roomName());
        if (entry != null && entry.chatroom().equals(chatroom)) {
            entry.enrolled().add(identity);
        }
    }

    @Override
    public void occupied(String room) {
        rooms.asMap().compute(room, (name, entry) -> entry == null ? newEntry(name, true)
                : new Entry(entry.chatroom(), entry.enrolled(), true));
    }

    @Override
    public void vacated(String room) {
        rooms.asMap().computeIfPresent(room, (name, entry) -> new Entry(entry.chatroom(), entry.enrolled(), false));
    }

    /** @return whether the identity is enrolled in the chatroom (for tests) */
    boolean isEnrolled(Chatroom chatroom, String identity) {
        Entry entry = rooms.getIfPresent(chatroom.roomName());
        return entry != null && entry.chatroom().equals(chatroom) && entry.enrolled().contains(identity);
    }

    /** @return how many rooms are remembered, after dropping expired ones (for tests and diagnostics) */
    long size() {
        rooms.cleanUp();
        return rooms.estimatedSize();
    }

    private Entry newEntry(String name, boolean occupied) {
        return new Entry(new Chatroom(name, sid("CH", random), serviceSid), ConcurrentHashMap.newKeySet(), occupied);
    }

    static String sid(String prefix, SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }
}
