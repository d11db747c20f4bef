package dev.callchat.undertow;

import dev.callchat.core.spi.HubPeer;
import dev.callchat.core.spi.HubSocket;
import dev.callchat.core.spi.HubSockets;
import dev.callchat.core.spi.RoomHub;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;

import java.util.function.Consumer;

/**
 * Bridges {@code /local/ws} to the local provider's {@link RoomHub} through core's {@link HubSocket}: frames
 * in, frames out, closure both ways. Requests that are not WebSocket upgrades go to {@code notUpgraded} (core).
 */
final class LocalSocket {
    /** UTF-8 needs at most 3 bytes per UTF-16 char; the hub socket then checks the exact char count. */
    private static final int MAX_BYTES_PER_CHAR = 3;

    private LocalSocket() {
    }

    static WebSocketProtocolHandshakeHandler handler(HubSockets sockets, HttpHandler notUpgraded) {
        return Handlers.websocket((exchange, channel) -> {
            HubSocket socket = sockets.connect(new ChannelPeer(channel));
            channel.addCloseTask(closed -> socket.onClose());
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                    socket.onText(message.getData());
                }

                @Override
                protected long getMaxTextBufferSize() {
                    return (long) socket.maxFrameChars() * MAX_BYTES_PER_CHAR;
                }

                @Override
                protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                    message.getData().free();
                    socket.onBinary();
                }

                @Override
                protected long getMaxBinaryBufferSize() {
                    return socket.maxFrameChars();
                }
            });
            channel.resumeReceives();
        }, notUpgraded);
    }

    /** The hub's handle on one Undertow WebSocket; sends never block the caller. */
    private record ChannelPeer(WebSocketChannel channel) implements HubPeer {
        @Override
        public void sendText(String frame, Consumer<Throwable> onDone) {
            WebSockets.sendText(frame, channel, new WebSocketCallback<Void>() {
                @Override
                public void complete(WebSocketChannel ch, Void context) {
                    onDone.accept(null);
                }

                @Override
                public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                    onDone.accept(throwable);
                }
            });
        }

        @Override
        public void close(int code, String reason) {
            WebSockets.sendClose(code, reason, channel, null);
        }
    }
}
