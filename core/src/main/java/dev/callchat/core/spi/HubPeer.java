package dev.callchat.core.spi;

import java.io.IOException;
import java.util.function.BiConsumer;
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

    /**
     * A peer from its framework session's own send and close, for adapters whose session offers both directly.
     *
     * @param send  sends one text frame asynchronously and calls back as {@link #sendText} says
     * @param close closes the socket; an {@link IOException} from it means the socket is already gone, which the
     *              adapter reports through {@link HubConnection#onClose()} anyway, so it is ignored
     * @return the peer
     */
    static HubPeer of(BiConsumer<String, Consumer<Throwable>> send, Closer close) {
        return new HubPeer() {
            @Override
            public void sendText(String frame, Consumer<Throwable> onDone) {
                send.accept(frame, onDone);
            }

            @Override
            public void close(int code, String reason) {
                try {
                    close.close(code, reason);
                } catch (IOException alreadyGone) {
                    // the adapter reports the closure
                }
            }
        };
    }

    /** A framework session's close, as {@link #of} takes it. */
    @FunctionalInterface
    interface Closer {
        /**
         * @param code   the WebSocket close code
         * @param reason the close reason
         * @throws IOException when the socket is already gone
         */
        void close(int code, String reason) throws IOException;
    }
}
