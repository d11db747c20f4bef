package dev.callchat.core.spi;

/**
 * Thrown by a {@link ParticipantRoster} when the chatroom it was asked to enroll into no longer
 * exists upstream (for example it was deleted in the Twilio console while cached here).
 * {@code CallSessionService} reacts by evicting the room from the {@link ChatroomDirectory}
 * and retrying the login's chat part once.
 */
public class ChatroomGoneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param chatroom the chatroom that is gone */
    public ChatroomGoneException(Chatroom chatroom) {
        super("Chatroom " + chatroom.conversationSid() + " for room '" + chatroom.roomName() + "' no longer exists");
    }
}
