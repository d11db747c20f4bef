package dev.callchat.core.local;

import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.ChatroomDirectory;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** In-memory chatrooms with Twilio-shaped SIDs: one {@code CH…} per room, one {@code IS…} service per process. */
final class LocalChatrooms implements ChatroomDirectory {
    private final String serviceSid;
    private final SecureRandom random;
    private final Map<String, Chatroom> rooms = new ConcurrentHashMap<>();

    LocalChatrooms(String serviceSid, SecureRandom random) {
        this.serviceSid = Objects.requireNonNull(serviceSid, "serviceSid");
        this.random = Objects.requireNonNull(random, "random");
    }

    @Override
    public Chatroom findOrCreate(String roomName) {
        Objects.requireNonNull(roomName, "roomName");
        return rooms.computeIfAbsent(roomName, name -> new Chatroom(name, sid("CH", random), serviceSid));
    }

    /** The map is the source of truth here, not a cache of something upstream: forgetting would change the SID. */
    @Override
    public void evict(String roomName) {
        // Nothing to refresh.
    }

    static String sid(String prefix, SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }
}
