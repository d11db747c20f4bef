package dev.callchat.micronaut;

import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.spi.HubPeer;
import dev.callchat.core.spi.HubSocket;
import dev.callchat.core.spi.RoomHub;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;

import java.util.function.Consumer;

/**
 * {@code /local/ws}: passes frames between a browser and core's {@link RoomHub} through its {@link HubSocket},
 * which holds every rule of the protocol. Exists only in local mode: in twilio mode Micronaut finds no endpoint
 * for the handshake and {@link ProblemErrorResponses} answers 404 (a plain GET goes to core, which says the
 * same). Callbacks run on the connection's event loop; the hub never blocks on them.
 */
@ServerWebSocket("${" + CallChatFilter.MOUNT_PROPERTY + ":}" + CallChatHttp.LOCAL_WS_PATH)
@Requires(condition = LocalWebSocket.LocalMode.class)
class LocalWebSocket {
    private static final String SOCKET = "callchat.hub-socket";

    private final RoomHub hub;

    LocalWebSocket(CallChatHttp http) {
        this.hub = http.service().localHub().orElseThrow();
    }

    @OnOpen
    void open(WebSocketSession session) {
        session.put(SOCKET, HubSocket.connect(hub, new SessionPeer(session)));
    }

    // Netty's limit is in bytes and must be constant: generous enough for the hub's default 32 Ki chars
    // (up to 96 KiB of UTF-8); the hub's own limit, in chars, is applied by the hub socket.
    @OnMessage(maxPayloadLength = 256 * 1024)
    void message(String frame, WebSocketSession session) {
        session.get(SOCKET, HubSocket.class).ifPresent(socket -> socket.onText(frame));
    }

    @OnClose
    void close(WebSocketSession session) {
        session.get(SOCKET, HubSocket.class).ifPresent(HubSocket::onClose);
    }

    /** The hub's handle on one Micronaut session. */
    private record SessionPeer(WebSocketSession session) implements HubPeer {
        @Override
        public void sendText(String frame, Consumer<Throwable> onDone) {
            try {
                session.sendAsync(frame).whenComplete((sent, error) -> onDone.accept(error));
            } catch (RuntimeException closed) {
                onDone.accept(closed);
            }
        }

        @Override
        public void close(int code, String reason) {
            session.close(new CloseReason(code, reason));
        }
    }

    /** Local mode: core has a room hub for this endpoint to bridge to. */
    static final class LocalMode implements Condition {
        @Override
        @SuppressWarnings("rawtypes") // Condition declares it raw
        public boolean matches(ConditionContext context) {
            return context.getBean(CallChatHttp.class).localWebSocketEnabled();
        }
    }
}
