package dev.callchat.core;

/**
 * Enrolls identities into chatrooms. Enrolling someone who is already a participant succeeds;
 * implementations remember recent enrollments so a token refresh costs no upstream call.
 */
public interface ParticipantRoster {
    /**
     * @param chatroom the chatroom to join
     * @param identity a validated identity
     * @throws ChatroomGoneException when the chatroom no longer exists upstream
     * @throws CallChatException     as {@link ChatroomDirectory#findOrCreate}
     */
    void enroll(Chatroom chatroom, String identity);
}
