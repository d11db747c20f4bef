package dev.callchat.spring;

import dev.callchat.core.spi.HubConnection;
import dev.callchat.core.spi.HubPeer;
import dev.callchat.core.spi.RoomHub;
import jakarta.websocket.Session;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code /local/ws}: passes whole text frames between a browser and the local provider's {@link RoomHub},
 * and closure both ways. Sends go through the container's asynchronous JSR-356 remote, so the hub never
 * blocks on a slow reader.
 */
final class LocalSocketHandler extends TextWebSocketHandler {
    private static final String CONNECTION = "callchat.hub-connection";
    private static final String PARTIAL = "callchat.partial-frame";
    private static final String PEER = "callchat.hub-peer";
    /** RFC 6455 close code for a message too big to process. */
    private static final int TOO_BIG = 1009;

    private final RoomHub hub;

    LocalSocketHandler(RoomHub hub) {
        this.hub = hub;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        Session jsr = ((NativeWebSocketSession) session).getNativeSession(Session.class);
        SessionPeer peer = new SessionPeer(session, jsr);
        session.getAttributes().put(PARTIAL, new StringBuilder());
        session.getAttributes().put(PEER, peer);
        session.getAttributes().put(CONNECTION, hub.connect(peer));
    }

    /**
     * Frames arrive in parts, so Tomcat's per-session buffer stays small whatever the hub's limit; the
     * parts are joined here up to the hub's limit in chars, and a larger frame closes with 1009.
     */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        HubConnection connection = connection(session);
        StringBuilder frame = (StringBuilder) session.getAttributes().get(PARTIAL);
        if (frame.length() + message.getPayloadLength() > connection.maxFrameChars()) {
            frame.setLength(0);
            peer(session).close(TOO_BIG, "frame too large");
            return;
        }
        if (message.isLast() && frame.length() == 0) {
            connection.onText(message.getPayload());
            return;
        }
        frame.append(message.getPayload());
        if (message.isLast()) {
            String whole = frame.toString();
            frame.setLength(0);
            connection.onText(whole);
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        // Through the peer: a close while the hub's own frame is being sent would cut that frame off (1006).
        peer(session).close(CloseStatus.NOT_ACCEPTABLE.getCode(), "binary frames are not supported");
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        HubConnection connection = (HubConnection) session.getAttributes().get(CONNECTION);
        if (connection != null) {
            connection.onClose();
        }
    }

    private static HubConnection connection(WebSocketSession session) {
        return (HubConnection) session.getAttributes().get(CONNECTION);
    }

    private static HubPeer peer(WebSocketSession session) {
        return (HubPeer) session.getAttributes().get(PEER);
    }

    private static void close(WebSocketSession session, CloseStatus status) {
        try {
            session.close(status);
        } catch (IOException e) {
            // Already gone: afterConnectionClosed tells the hub.
        }
    }

    /**
     * The hub's handle on one session. A close asked for while a frame is still being sent waits for
     * that send: Tomcat would otherwise put the close frame first and the frame (say, the error that
     * explains the close) would be lost.
     */
    private static final class SessionPeer implements HubPeer {
        private final WebSocketSession session;
        private final Session jsr;
        private final AtomicBoolean sending = new AtomicBoolean();
        private final AtomicReference<CloseStatus> closeAfterSend = new AtomicReference<>();

        SessionPeer(WebSocketSession session, Session jsr) {
            this.session = session;
            this.jsr = jsr;
        }

        @Override
        public void sendText(String frame, Consumer<Throwable> onDone) {
            sending.set(true);
            try {
                jsr.getAsyncRemote().sendText(frame, result -> {
                    sending.set(false);
                    CloseStatus pending = closeAfterSend.getAndSet(null);
                    if (pending != null) {
                        LocalSocketHandler.close(session, pending);
                    }
                    onDone.accept(result.isOK() ? null : result.getException());
                });
            } catch (RuntimeException closed) {
                sending.set(false);
                onDone.accept(closed);
            }
        }

        @Override
        public void close(int code, String reason) {
            CloseStatus status = new CloseStatus(code, reason);
            closeAfterSend.set(status);
            if (!sending.get() && closeAfterSend.compareAndSet(status, null)) {
                LocalSocketHandler.close(session, status);
            }
        }
    }
}
