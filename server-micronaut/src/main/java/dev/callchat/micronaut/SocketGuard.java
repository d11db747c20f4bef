package dev.callchat.micronaut;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;

/**
 * Three WebSocket rules Micronaut gets wrong for {@code /local/ws}, applied by a Netty handler that sits
 * ahead of Micronaut's on every connection (plain HTTP passes through untouched):
 * <ul>
 *     <li>a Close frame from the client is answered with the same code before the connection ends
 *     (Micronaut ended it without one, so the client saw 1006);</li>
 *     <li>the protocol is text only, but Micronaut hands binary frames to a {@code String} handler as
 *     text: the first binary frame closes the socket with 1003;</li>
 *     <li>Micronaut closes a socket after its idle timeout (5 min), which would drop a member of a quiet
 *     video call from the room: an idle socket is pinged instead, which browsers answer.</li>
 * </ul>
 */
@Singleton
// It sees every connection, not just /local/ws: embedded under callchat.path, the host's own sockets must keep their rules.
@Requires(missingProperty = CallChatFilter.MOUNT_PROPERTY)
class SocketGuard implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    private record Customizer(Channel channel) implements NettyServerCustomizer {
        @Override
        public NettyServerCustomizer specializeForChannel(Channel connection, ChannelRole role) {
            return new Customizer(connection);
        }

        @Override
        public void onStreamPipelineBuilt() {
            channel.pipeline().addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, "callchat-socket-guard",
                    new Guard());
        }
    }

    private static final class Guard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof CloseWebSocketFrame close) {
                // Micronaut drops the connection without echoing the client's Close (the client sees 1006);
                // RFC 6455 section 5.5.1 wants the code echoed. Closing the channel still runs @OnClose.
                int code = close.statusCode() < 0 ? 1000 : close.statusCode();
                ReferenceCountUtil.release(msg);
                ctx.writeAndFlush(new CloseWebSocketFrame(code, "")).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (msg instanceof BinaryWebSocketFrame) {
                ReferenceCountUtil.release(msg);
                ctx.writeAndFlush(new CloseWebSocketFrame(1003, "binary frames are not supported"))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent && ctx.pipeline().get(WebSocketFrameDecoder.class) != null) {
                ctx.writeAndFlush(new PingWebSocketFrame());
                return;
            }
            ctx.fireUserEventTriggered(event);
        }
    }
}
