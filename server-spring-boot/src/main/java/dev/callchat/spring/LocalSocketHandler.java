package dev.callchat.spring;

import dev.callchat.core.spi.HubPeer;
import dev.callchat.core.spi.HubSocket;
import dev.callchat.core.spi.RoomHub;
import jakarta.websocket.Session;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * {@code /local/ws}: passes text frames between a browser and the local provider's {@link RoomHub} through
 * core's {@link HubSocket}, and closure both ways. Sends go through the container's asynchronous JSR-356
 * remote, so the hub never blocks on a slow reader; a close waits for the send in flight, since Tomcat would
 * otherwise put the close frame first and lose the frame (say, the error) that explains it.
 */
final class LocalSocketHandler extends TextWebSocketHandler {
    private static final String SOCKET = "callchat.hub-socket";

    private final RoomHub hub;

    LocalSocketHandler(RoomHub hub) {
        this.hub = hub;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        Session jsr = ((NativeWebSocketSession) session).getNativeSession(Session.class);
        // A send on a closed session throws, which closingAfterSend reports as a failed send.
        HubPeer peer = HubPeer.of((frame, onDone) -> jsr.getAsyncRemote().sendText(frame,
                result -> onDone.accept(result.isOK() ? null : result.getException())),
                (code, reason) -> session.close(new CloseStatus(code, reason)));
        session.getAttributes().put(SOCKET, HubSocket.connect(hub, HubSocket.closingAfterSend(peer)));
    }

    /**
     * Frames arrive in parts, so Tomcat's per-session buffer stays small whatever the hub's limit; core joins
     * the parts up to the hub's limit in chars, and a larger frame closes with 1009.
     */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        socket(session).onText(message.getPayload(), message.isLast());
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
        socket(session).onBinary();
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        HubSocket socket = socket(session);
        if (socket != null) {
            socket.onClose();
        }
    }

    private static HubSocket socket(WebSocketSession session) {
        return (HubSocket) session.getAttributes().get(SOCKET);
    }
}
