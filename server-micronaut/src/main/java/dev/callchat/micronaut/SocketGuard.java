package dev.callchat.micronaut;

import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.AdapterCall;
import dev.callchat.core.http.BodySource;
import dev.callchat.core.http.HttpReply;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Registers {@link FramingGuard} ahead of Netty's HTTP/1 decoder, serves HTTP/1.0 requests without
 * {@code Host} (Micronaut refused them with 400, Undertow serves them), and applies the WebSocket rules
 * Micronaut leaves out or gets wrong for callchat's {@code /local/ws}, applied by a Netty handler that sits
 * ahead of Micronaut's on every connection (other requests and the host application's own sockets pass
 * through untouched):
 * <ul>
 *     <li>the upgrade's {@code Origin} must be one core allows ({@link CallChatHttp#refuseWebSocket}):
 *     else core's 403 problem, before any handshake;</li>
 *     <li>a Close frame from the client is answered with the same code before the connection ends
 *     (Micronaut ended it without one, so the client saw 1006);</li>
 *     <li>RFC 6455: a text frame must be valid UTF-8 (close 1007, section 8.1) and RSV bits need a
 *     negotiated extension (close 1002, section 5.2); Micronaut accepted both;</li>
 *     <li>a client's protocol violation is its own mistake: logged at DEBUG, not as Micronaut's ERROR
 *     with a stack trace;</li>
 *     <li>the protocol is text only, but Micronaut hands binary frames to a {@code String} handler as
 *     text: the first binary frame closes the socket with 1003;</li>
 *     <li>Micronaut closes a socket after its idle timeout (5 min), which would drop a member of a quiet
 *     video call from the room: an idle socket is pinged instead, which browsers answer.</li>
 * </ul>
 */
@Singleton
class SocketGuard implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private static final Logger LOG = LoggerFactory.getLogger(SocketGuard.class);

    private final CallChatHttp http;
    private final String socketPath;

    SocketGuard(CallChatHttp http, @Value("${" + CallChatFilter.MOUNT_PROPERTY + ":}") String mount) {
        this.http = http;
        this.socketPath = CallChatHttp.normalizedMount(mount) + CallChatHttp.LOCAL_WS_PATH;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    private final class Customizer implements NettyServerCustomizer {
        private final Channel channel;

        Customizer(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel connection, ChannelRole role) {
            return new Customizer(connection);
        }

        @Override
        public void onStreamPipelineBuilt() {
            channel.pipeline().addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, "callchat-socket-guard",
                    new Guard());
            if (channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null) {
                channel.pipeline().addBefore(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, "callchat-framing-guard",
                        new FramingGuard(http));
            }
        }
    }

    private final class Guard extends ChannelInboundHandlerAdapter {
        /** This connection upgraded (or is upgrading) to callchat's socket. */
        private boolean ours;
        /** A refused upgrade: its remaining content is dropped until the connection closes. */
        private boolean refused;
        private boolean validatorAdded;
        private Boolean extensions;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request && !request.headers().contains(HttpHeaderNames.HOST)
                    && request.protocolVersion().equals(io.netty.handler.codec.http.HttpVersion.HTTP_1_0)
                    && ctx.channel().localAddress() instanceof InetSocketAddress local) {
                // HTTP/1.0 has no Host (RFC 9112 section 3.2 requires it of 1.1 only); Micronaut refused
                // such a request with 400. It is addressed to this server, as Undertow takes it too.
                String host = local.getAddress().getHostAddress();
                request.headers().set(HttpHeaderNames.HOST, (host.contains(":") ? "[" + host + "]" : host) + ":" + local.getPort());
            }
            if (msg instanceof HttpRequest request && request.headers().contains(HttpHeaderNames.UPGRADE)
                    && socketPath.equals(request.uri().split("\\?", 2)[0])) {
                ours = true;
                Optional<HttpReply> refusal = http.refuseWebSocket(upgradeCall(request, ctx.channel()));
                if (refusal.isPresent()) {
                    ReferenceCountUtil.release(msg);
                    refused = true;
                    ctx.writeAndFlush(response(refusal.get())).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
            }
            if (ours && msg instanceof CloseWebSocketFrame close) {
                // Micronaut drops the connection without echoing the client's Close (the client sees 1006);
                // RFC 6455 section 5.5.1 wants the code echoed. Closing the channel still runs @OnClose.
                int code = close.statusCode() < 0 ? 1000 : close.statusCode();
                ReferenceCountUtil.release(msg);
                ctx.writeAndFlush(new CloseWebSocketFrame(code, "")).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (refused && msg instanceof HttpContent) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (ours && msg instanceof WebSocketFrame frame && !admit(ctx, frame)) {
                return;
            }
            ctx.fireChannelRead(msg);
        }

        /** @return whether the frame goes on to Micronaut; a refused one is released and the socket closed */
        private boolean admit(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (!validatorAdded) {
                validatorAdded = true;
                // After any permessage-deflate decoder, so it sees the text as sent; it answers 1007 itself.
                String before = ctx.pipeline().get("websocket-handler") != null ? "websocket-handler" : null;
                if (before != null) {
                    ctx.pipeline().addBefore(before, "callchat-utf8", new Utf8FrameValidator(true));
                    ctx.pipeline().addBefore(before, "callchat-quiet-errors", new QuietErrors());
                }
            }
            if (frame.rsv() != 0 && !extensionsNegotiated(ctx)) {
                return refuse(ctx, frame, WebSocketCloseStatus.PROTOCOL_ERROR.code(), "RSV bits set without an extension");
            }
            if (frame instanceof BinaryWebSocketFrame) {
                return refuse(ctx, frame, 1003, "binary frames are not supported");
            }
            return true;
        }

        private boolean extensionsNegotiated(ChannelHandlerContext ctx) {
            if (extensions == null) {
                extensions = ctx.pipeline().toMap().values().stream().anyMatch(WebSocketExtensionDecoder.class::isInstance);
            }
            return extensions;
        }

        private boolean refuse(ChannelHandlerContext ctx, WebSocketFrame frame, int code, String reason) {
            ReferenceCountUtil.release(frame);
            LOG.debug("Closing a WebSocket with {}: {}", code, reason);
            ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
            return false;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (ours && cause instanceof CorruptedWebSocketFrameException) {
                // The decoder has already sent its close frame (1002/1009) and closes the connection.
                LOG.debug("WebSocket protocol violation from a client: {}", cause.getMessage());
                return;
            }
            ctx.fireExceptionCaught(cause);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (ours && event instanceof IdleStateEvent && ctx.pipeline().get(WebSocketFrameDecoder.class) != null) {
                ctx.writeAndFlush(new PingWebSocketFrame());
                return;
            }
            ctx.fireUserEventTriggered(event);
        }
    }

    /** Swallows the UTF-8 validator's violation after it has closed the socket with 1007. */
    private static final class QuietErrors extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof CorruptedWebSocketFrameException) {
                LOG.debug("WebSocket protocol violation from a client: {}", cause.getMessage());
                return;
            }
            ctx.fireExceptionCaught(cause);
        }
    }

    /** An upgrade request as core sees it: only headers matter, it has no body. */
    private static AdapterCall upgradeCall(HttpRequest request, Channel channel) {
        String remote = channel.remoteAddress() instanceof InetSocketAddress address
                ? address.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
        return new AdapterCall(request.method().name(), CallChatHttp.LOCAL_WS_PATH, request.headers()::get, remote,
                channel.pipeline().get(SslHandler.class) != null, BodySource.none());
    }

    static FullHttpResponse response(HttpReply reply) {
        FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        reply.headers().forEach(response.headers()::set);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        return response;
    }
}
