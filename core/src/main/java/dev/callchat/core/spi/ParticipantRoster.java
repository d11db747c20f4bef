package dev.callchat.core.spi;

/**
 * Enrolls identities into chatrooms. Enrolling someone who is already a participant succeeds;
 * implementations remember recent enrollments so a token refresh costs no upstream call.
 */
public interface ParticipantRoster {
    /**
     * @param chatroom the chatroom to join
     * @param identity a validated identity
     * @throws ChatroomGoneException when the chatroom no longer exists upstream
     * @throws dev.callchat.core.CallChatException     as {@link ChatroomDirectory#findOrCreate}
     */
    void enroll(Chatroom chatroom, String identity);

    /**
     * Like {@link #enroll(Chatroom, String)}, within the login's time budget. Upstream implementations
     * bound their calls, retries and waits by it; the default ignores it.
     *
     * @param chatroom the chatroom to join
     * @param identity a validated identity
     * @param deadline the time left for the upstream part of this login
     * @throws ChatroomGoneException when the chatroom no longer exists upstream
     * @throws dev.callchat.core.CallChatException     as {@link ChatroomDirectory#findOrCreate(String, Deadline)}
     */
    default void enroll(Chatroom chatroom, String identity, Deadline deadline) {
        enroll(chatroom, identity);
    }
}
