package dev.callchat.core.spi;

import java.util.Objects;

/**
 * The chat side of a call: the conversation that belongs to a video room.
 *
 * @param roomName        the call's room name (also the conversation's unique name)
 * @param conversationSid the conversation's SID, {@code CH} + 32 hex digits
 * @param chatServiceSid  the Conversations service that holds it, {@code IS} + 32 hex digits
 */
public record Chatroom(String roomName, String conversationSid, String chatServiceSid) {
    /**
     * Checks that no component is null.
     *
     * @param roomName        the call's room name (also the conversation's unique name)
     * @param conversationSid the conversation's SID, {@code CH} + 32 hex digits
     * @param chatServiceSid  the Conversations service that holds it, {@code IS} + 32 hex digits
     */
    public Chatroom {
        Objects.requireNonNull(roomName, "roomName");
        Objects.requireNonNull(conversationSid, "conversationSid");
        Objects.requireNonNull(chatServiceSid, "chatServiceSid");
    }
}
