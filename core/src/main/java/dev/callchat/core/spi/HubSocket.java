package dev.callchat.core.spi;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What every adapter's {@code /local/ws} endpoint does with one socket, so that the rules live once: a text
 * frame that arrives in parts is joined up to {@link HubConnection#maxFrameChars()} and a larger one closes
 * with 1009; a binary frame closes with 1003 (the protocol is text only); the closure reaches the hub once.
 * For adapters (see {@code docs/architecture.md}); applications never need it. Calls for one socket come one
 * at a time, in order, as WebSocket servers deliver them.
 */
public final class HubSocket {
    /** RFC 6455 close code for a message too big to process. */
    public static final int TOO_BIG = 1009;
    /** RFC 6455 close code for a data type the endpoint does not accept. */
    public static final int UNSUPPORTED_DATA = 1003;

    private final HubConnection connection;
    private final HubPeer peer;
    private final StringBuilder partial = new StringBuilder();
    private final Runnable closed;
    private final AtomicBoolean open = new AtomicBoolean(true);

    HubSocket(RoomHub hub, HubPeer peer, Runnable closed) {
        this.peer = peer;
        this.closed = closed;
        this.connection = hub.connect(peer);
    }

    /**
     * @param hub  the local provider's hub
     * @param peer the adapter's handle on the socket
     * @return the socket, connected to the hub
     */
    public static HubSocket connect(RoomHub hub, HubPeer peer) {
        return new HubSocket(hub, peer, () -> { });
    }

    /** @return the largest text frame in chars; adapters whose framework limits bytes allow 3 bytes a char */
    public int maxFrameChars() {
        return connection.maxFrameChars();
    }

    /** @param frame a whole text frame */
    public void onText(String frame) {
        onText(frame, true);
    }

    /**
     * @param part the next part of a text frame
     * @param last whether it ends the frame
     */
    public void onText(String part, boolean last) {
        if (partial.length() + part.length() > connection.maxFrameChars()) {
            partial.setLength(0);
            peer.close(TOO_BIG, "frame too large");
        } else if (last && partial.length() == 0) {
            connection.onText(part);
        } else {
            partial.append(part);
            if (last) {
                String whole = partial.toString();
                partial.setLength(0);
                connection.onText(whole);
            }
        }
    }

    /** A binary frame arrived: the protocol is text only. */
    public void onBinary() {
        peer.close(UNSUPPORTED_DATA, "binary frames are not supported");
    }

    /** The socket closed, whichever side closed it. Idempotent. */
    public void onClose() {
        if (open.getAndSet(false)) {
            connection.onClose();
            closed.run();
        }
    }

    /**
     * A peer whose close waits for the frame being sent, for frameworks (such as Tomcat's) that would put the
     * close frame first and lose the frame that explains the close (say, the hub's error before a 4409).
     *
     * @param peer sends and closes at once; a send that throws (on a socket already closed, say) counts as failed
     * @return the same peer, with each close after the send in flight
     */
    public static HubPeer closingAfterSend(HubPeer peer) {
        return new CloseAfterSend(peer);
    }

    private static final class CloseAfterSend implements HubPeer {
        private final HubPeer peer;
        private final AtomicBoolean sending = new AtomicBoolean();
        private final AtomicReference<Runnable> pending = new AtomicReference<>();

        CloseAfterSend(HubPeer peer) {
            this.peer = peer;
        }

        @Override
        public void sendText(String frame, Consumer<Throwable> onDone) {
            sending.set(true);
            Consumer<Throwable> sent = error -> {
                sending.set(false);
                Runnable due = pending.getAndSet(null);
                if (due != null) {
                    due.run();
                }
                onDone.accept(error);
            };
            try {
                peer.sendText(frame, sent);
            } catch (RuntimeException closed) {
                sent.accept(closed); // a framework whose send throws on a closed socket: the send failed
            }
        }

        @Override
        public void close(int code, String reason) {
            Runnable due = () -> peer.close(code, reason);
            pending.set(due);
            if (!sending.get() && pending.compareAndSet(due, null)) {
                due.run();
            }
        }
    }
}
