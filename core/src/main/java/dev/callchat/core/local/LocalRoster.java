package dev.callchat.core.local;

import dev.callchat.core.spi.Chatroom;
import dev.callchat.core.spi.ParticipantRoster;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Who was enrolled in which local chatroom. Enrolling twice is a no-op. */
final class LocalRoster implements ParticipantRoster {
    private final Map<String, Set<String>> participants = new ConcurrentHashMap<>();

    @Override
    public void enroll(Chatroom chatroom, String identity) {
        Objects.requireNonNull(chatroom, "chatroom");
        Objects.requireNonNull(identity, "identity");
        participants.computeIfAbsent(chatroom.conversationSid(), sid -> ConcurrentHashMap.newKeySet()).add(identity);
    }

    /** @return whether the identity is enrolled in the chatroom */
    boolean isEnrolled(Chatroom chatroom, String identity) {
        return participants.getOrDefault(chatroom.conversationSid(), Set.of()).contains(identity);
    }
}
