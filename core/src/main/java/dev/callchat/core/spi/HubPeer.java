package dev.callchat.core.spi;

import java.util.function.Consumer;

/**
 * One browser's WebSocket as the {@link RoomHub} sees it. Each adapter implements this around
 * its framework's session object; the hub calls it but never blocks on it.
 */
public interface HubPeer {
    /**
     * Sends one text frame asynchronously. The hub keeps at most one send in flight per peer, so
     * implementations need no queue of their own.
     *
     * @param frame  the JSON text frame
     * @param onDone called exactly once: with {@code null} when the frame was written, or with the
     *               error; may be called on any thread, including synchronously from this method
     */
    void sendText(String frame, Consumer<Throwable> onDone);

    /**
     * Closes the WebSocket. The adapter still reports the closure through {@link HubConnection#onClose()}.
     *
     * @param code   a WebSocket close code (1001, 1009, 4401, 4408, 4409, 4429...)
     * @param reason a short reason for the client; never a secret
     */
    void close(int code, String reason);
}
