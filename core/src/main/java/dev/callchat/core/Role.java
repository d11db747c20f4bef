package dev.callchat.core;

/**
 * What a member may do in a room. See {@code docs/embedding.md#hosts-and-moderation} for who becomes host.
 */
public enum Role {
    /** May remove and ban members, lock, unlock and end the room, and hand the host role over. */
    HOST,
    /** Takes part in the call and the chat; never becomes host by callchat's own rules. */
    PARTICIPANT;

    /** @return the lower-case name used on the wire ({@code "host"}, {@code "participant"}) */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
