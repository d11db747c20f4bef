package dev.callchat.micronaut;

import dev.callchat.core.http.Shutdown;
import dev.callchat.core.spi.HubPeer;
import dev.callchat.core.spi.HubSocket;
import dev.callchat.core.spi.HubSockets;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One {@code /local/ws} socket once Netty's {@link WebSocketServerProtocolHandler} has shaken hands: frames go
 * to core's {@link HubSocket}, which holds every rule of the protocol (joining fragments, 1009, 1003). Netty's
 * handler answers pings, echoes the client's Close and refuses what RFC 6455 forbids (see {@link CallChatPipeline}).
 * Callbacks run on the connection's event loop; the hub never blocks on them.
 */
final class HubBridge extends ChannelInboundHandlerAdapter implements HubPeer {
    private static final Logger LOG = LoggerFactory.getLogger(HubBridge.class);

    private final HubSockets sockets;
    private ChannelHandlerContext context;
    private HubSocket socket;
    private volatile boolean closing;

    HubBridge(HubSockets sockets) {
        this.sockets = sockets;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            context = ctx;
            socket = sockets.connect(this);
        } else if (event instanceof IdleStateEvent) {
            // Closing an idle socket would drop a member of a quiet video call from the room; browsers answer pings.
            ctx.writeAndFlush(new PingWebSocketFrame());
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (socket == null || closing) {
                return; // what the client sent after the server's Close
            } else if (msg instanceof BinaryWebSocketFrame) {
                socket.onBinary();
            } else if (msg instanceof WebSocketFrame frame) { // text, or a continuation of it
                socket.onText(frame.content().toString(StandardCharsets.UTF_8), frame.isFinalFragment());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (socket != null) {
            socket.onClose();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A client's protocol violation is its own mistake, not the server's error: Netty has already closed the
        // socket with 1002, 1007 or 1009.
        if (cause instanceof CorruptedWebSocketFrameException) {
            LOG.debug("WebSocket protocol violation from a client: {}", cause.getMessage());
        } else {
            LOG.debug("WebSocket connection failed", cause);
            ctx.close();
        }
    }

    @Override
    public void sendText(String frame, Consumer<Throwable> onDone) {
        context.writeAndFlush(new TextWebSocketFrame(frame)).addListener(written -> onDone.accept(written.cause()));
    }

    /**
     * Sends Close and leaves closing the connection to the client's Close, on which Netty's handler closes it
     * (RFC 6455 section 7.1.1), or to {@link Shutdown#SOCKET_CLOSE_WAIT}: closing at once would reset the
     * connection of a client still sending, and it would lose the frames before the Close.
     */
    @Override
    public void close(int code, String reason) {
        closing = true;
        context.writeAndFlush(new CloseWebSocketFrame(code, reason));
        context.executor().schedule(() -> context.close(), Shutdown.SOCKET_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
