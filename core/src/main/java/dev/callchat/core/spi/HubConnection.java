package dev.callchat.core.spi;

/**
 * The hub's side of one WebSocket, returned by {@link RoomHub#connect}. The adapter
 * passes every inbound text frame and the closure on, and does nothing else.
 */
public interface HubConnection {
    /**
     * A text frame arrived from the browser. Adapters call this for one connection's frames in the
     * order they arrive, one at a time (as WebSocket servers deliver them).
     *
     * @param frame the frame's text
     */
    void onText(String frame);

    /** The socket closed, whichever side closed it. Idempotent. */
    void onClose();

    /** @return the largest text frame, in chars, the adapter should accept; larger frames close with 1009 */
    int maxFrameChars();
}
