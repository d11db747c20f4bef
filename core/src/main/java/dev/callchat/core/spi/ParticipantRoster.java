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

    /** How {@link #admit} left an enrollment. */
    enum Admission {
        /** The identity is a participant now. */
        ENROLLED,
        /** The enrollment waits its turn under the upstream's rate limit and completes in the background. */
        QUEUED,
        /**
         * The chatroom holds as many participants as the upstream allows (Twilio: 1,000): the login goes on without
         * chat, like during an outage, but this is no outage and is not reported as one. With chat required it is
         * refused (503).
         */
        FULL
    }

    /**
     * Enrolls the identity now, or queues the enrollment when the upstream's rate limit does not allow
     * it now, so that the login need not wait for it. Queued enrollments are best-effort: one that never
     * completes (the process stopped) is redone by the identity's next login, so implementations must
     * remember only completed enrollments. The default enrolls synchronously.
     *
     * @param chatroom the chatroom to join
     * @param identity a validated identity
     * @param deadline the time left for the upstream part of this login
     * @return whether the identity is enrolled now, queued, or cannot be because the chatroom is full
     * @throws ChatroomGoneException when the chatroom no longer exists upstream
     * @throws dev.callchat.core.CallChatException     as {@link #enroll(Chatroom, String, Deadline)}
     */
    default Admission admit(Chatroom chatroom, String identity, Deadline deadline) {
        enroll(chatroom, identity, deadline);
        return Admission.ENROLLED;
    }
}
