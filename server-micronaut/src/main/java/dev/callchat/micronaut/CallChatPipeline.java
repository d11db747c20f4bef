package dev.callchat.micronaut;

import dev.callchat.core.ErrorKind;
import dev.callchat.core.config.EnvironmentConfig;
import dev.callchat.core.http.AdapterCall;
import dev.callchat.core.http.BodyBuffer;
import dev.callchat.core.http.BodySource;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.Framing;
import dev.callchat.core.http.HttpCall;
import dev.callchat.core.http.HttpReply;
import dev.callchat.core.http.InFlight;
import dev.callchat.core.http.Shutdown;
import dev.callchat.core.http.Threads;
import dev.callchat.core.spi.HubSockets;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Serves callchat's requests from a Netty handler that sits in Micronaut's pipeline, ahead of Micronaut's own
 * (every request, or with {@code callchat.path} set, those below that prefix; the rest pass on to the
 * application callchat is embedded in). Each request goes to core's {@link CallChatHttp}, which decides
 * everything; this class only moves bytes, for two reasons (see {@code docs/architecture.md}):
 * <ul>
 *     <li>Micronaut's filter API cannot read a body without a thread waiting for it, nor answer before Micronaut's
 *     own decisions (404, 405, 415, body decoding, its error format). Here a body is read on the event loop into
 *     core's {@link BodyBuffer} (bounded by the route's limit and {@link CallChatHttp#bodyDeadline(long, String)},
 *     after which the connection is dropped), then core runs on {@link Threads#WORKERS} threads of callchat's own,
 *     since a login may wait for Twilio; at most {@link InFlight#UPLOAD_SLOTS} uploads are read at once.</li>
 *     <li>Micronaut's WebSocket gets RFC 6455 wrong: it accepted invalid UTF-8 and RSV bits without an extension,
 *     handed binary frames to a text handler, dropped the connection instead of echoing the client's Close (the
 *     client saw 1006) and logged a client's protocol violation as its own ERROR. {@code /local/ws} is served by
 *     Netty's own {@link WebSocketServerProtocolHandler} instead, whose decoder closes with 1007, 1002 and 1009
 *     and echoes Close, bridged to core's room hub by {@link HubBridge}. The upgrade's {@code Origin} must be one
 *     core allows ({@link CallChatHttp#refuseWebSocket}).</li>
 * </ul>
 * Micronaut's HTTP/1 codec is kept, with request headers ({@link Evidence}) that let RFC 9112's framing rules be
 * checked, which Netty's decoder relaxes. The trade-off: the host application's Micronaut
 * filters, CORS and metrics do not see callchat's requests. Requests pipelined on one connection are answered in
 * order, and Micronaut's graceful shutdown closes a connection only once its answers are written.
 */
@Singleton
class CallChatPipeline implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    /** The property naming the path prefix callchat is served under inside a larger application. */
    static final String MOUNT_PROPERTY = "callchat." + EnvironmentConfig.MOUNT_PROPERTY;
    /** Netty's limit is in bytes: ample for the hub's default 32 Ki chars (up to 96 KiB of UTF-8); the hub applies its own, in chars. */
    private static final int MAX_FRAME_BYTES = 256 * 1024;

    private final CallChatHttp http;
    private final String mount;
    private final InFlight inFlight;
    private final Optional<HubSockets> sockets;
    private final ExecutorService workers = Threads.pool("callchat-worker", Threads.WORKERS);
    private final HttpDecoderConfig decoding;

    /**
     * @param http   the contract
     * @param mount  {@code callchat.path}: empty to answer every request (the standalone server), or a prefix
     *               such as {@code /video} to answer only below it
     * @param server Micronaut's limits for the request decoder
     */
    CallChatPipeline(CallChatHttp http, @Value("${" + MOUNT_PROPERTY + ":}") String mount, NettyHttpServerConfiguration server) {
        this.http = http;
        this.decoding = new HttpDecoderConfig().setMaxInitialLineLength(server.getMaxInitialLineLength())
                .setMaxHeaderSize(server.getMaxHeaderSize()).setMaxChunkSize(server.getMaxChunkSize())
                .setInitialBufferSize(server.getInitialBufferSize()).setHeadersFactory(new HttpHeadersFactory() {
                    @Override
                    public HttpHeaders newHeaders() {
                        return new Evidence();
                    }

                    @Override
                    public HttpHeaders newEmptyHeaders() {
                        return new Evidence();
                    }
                });
        this.mount = CallChatHttp.normalizedMount(mount);
        this.inFlight = new InFlight(http);
        this.sockets = http.service().localHub().map(HubSockets::new);
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    /** Waits, boundedly, for the close handshakes of the sockets the hub is closing. */
    void awaitSocketsClosed() {
        sockets.ifPresent(open -> Shutdown.await(open::allClosed, Shutdown.SOCKET_CLOSE_WAIT));
    }

    /** Stops callchat's threads with the server. */
    @PreDestroy
    void close() {
        workers.shutdown();
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
            channel.pipeline().addBefore(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND, "callchat", new Connection());
            if (channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null) {
                // Micronaut's own codec, with headers that keep the evidence Netty's decoder would remove.
                channel.pipeline().replace(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
                        ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, new HttpServerCodec(decoding));
            }
        }
    }

    /** One connection: callchat's requests are answered here, the host application's pass on to Micronaut. */
    private final class Connection extends ChannelDuplexHandler {
        /** The current request is not callchat's (or the connection is a socket now): everything passes on. */
        private boolean passing;
        /** The current request's body, while it is being read. */
        private BodyBuffer body;
        /** Requests taken and not yet answered; reads (but of a body) wait until none is left, and so does a close. */
        private int answering;
        private boolean readLater;
        /** A request was answered with {@code Connection: close}: nothing after it is served. */
        private boolean closing;
        private ChannelPromise closeLater;
        private CompletableFuture<?> lastAnswer = CompletableFuture.completedFuture(null);
        /** The last answer closed the connection: its write side is shut, and what arrives is dropped. */
        private boolean lingering;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (lingering) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (msg instanceof HttpRequest request) {
                String path = HttpCall.pathOf(request.uri());
                Optional<String> unframed = Framing.violation(request.headers() instanceof Evidence evidence
                        && evidence.lengthWithChunked, request.headers().get(HttpHeaderNames.TRANSFER_ENCODING));
                passing = !closing && unframed.isEmpty() && !mount.isEmpty() && !path.equals(mount) && !path.startsWith(mount + "/");
                if (!passing && !closing) { // after an answer with Connection: close, nothing is served
                    take(ctx, request, path, unframed);
                }
            } else if (!passing && msg instanceof HttpContent content && body != null) {
                byte[] chunk = ByteBufUtil.getBytes(content.content());
                if (body.append(chunk, 0, chunk.length) || content instanceof LastHttpContent) {
                    body.end();
                    body = null;
                }
            }
            if (passing || !(msg instanceof HttpContent || msg instanceof HttpRequest)) {
                ctx.fireChannelRead(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        private void take(ChannelHandlerContext ctx, HttpRequest request, String path, Optional<String> unframed) {
            boolean close = !HttpVersion.HTTP_1_1.equals(request.protocolVersion()) || !HttpUtil.isKeepAlive(request);
            Throwable malformed = request.decoderResult().cause();
            if (unframed.isPresent()) {
                // A front proxy may have framed this body differently: what follows may be a smuggled request.
                answer(ctx, CompletableFuture.completedFuture(http.problem(ErrorKind.BAD_REQUEST, unframed.get())), true);
            } else if (malformed != null) {
                // Netty could not decode the request; what follows it cannot be trusted either.
                answer(ctx, CompletableFuture.completedFuture(http.problem(malformed instanceof TooLongHttpLineException
                        ? ErrorKind.URI_TOO_LONG.status() : malformed instanceof TooLongHttpHeaderException
                        ? ErrorKind.HEADERS_TOO_LARGE.status() : ErrorKind.BAD_REQUEST.status())), true);
            } else if (!mount.isEmpty() && path.equals(mount)) {
                // The page's relative links (login, js/main.js) only resolve below /video/.
                answer(ctx, CompletableFuture.completedFuture(http.redirect(mount + "/" + HttpCall.queryOf(request.uri()))), close);
            } else if (HttpVersion.HTTP_1_1.equals(request.protocolVersion()) && !request.headers().contains(HttpHeaderNames.HOST)) {
                answer(ctx, CompletableFuture.completedFuture(http.problem(ErrorKind.BAD_REQUEST, Framing.MISSING_HOST)), close);
            } else {
                String remote = ctx.channel().remoteAddress() instanceof InetSocketAddress address
                        ? address.getAddress().getHostAddress() : String.valueOf(ctx.channel().remoteAddress());
                AdapterCall call = new AdapterCall(request.method().name(), path.substring(mount.length()),
                        request.headers()::get, remote, ctx.pipeline().get(SslHandler.class) != null, BodySource.none());
                if (sockets.isPresent() && CallChatHttp.LOCAL_WS_PATH.equals(call.rawPath())
                        && "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))) {
                    upgrade(ctx, call);
                } else {
                    read(ctx, request, call, close);
                }
            }
        }

        /** Reads the body, if any, ahead into a buffer, then runs core on a worker. */
        private void read(ChannelHandlerContext ctx, HttpRequest request, AdapterCall call, boolean close) {
            int limit = http.maxBodyBytes(call.rawPath());
            long length = HttpUtil.getContentLength(request, -1L);
            boolean hasBody = length > 0 || HttpUtil.isTransferEncodingChunked(request);
            boolean unread = !hasBody || length > limit; // core answers these without reading a body
            boolean upload = !unread && limit > CallChatHttp.MAX_BODY_BYTES;
            Optional<HttpReply> busy = upload ? inFlight.enterUpload(call) : Optional.empty();
            if (busy.isPresent() || unread) {
                // Nothing to read, or refused unread: closing, as the unread body would go at the sender's pace.
                AdapterCall ready = call.withBody(hasBody ? BodySource.tooLarge() : BodySource.none());
                answer(ctx, busy.map(CompletableFuture::completedFuture)
                        .orElseGet(() -> CompletableFuture.supplyAsync(() -> http.handle(ready), workers)), close || hasBody);
                return;
            }
            BodyBuffer buffer = new BodyBuffer(limit);
            body = buffer;
            ScheduledFuture<?> deadline = ctx.executor().schedule(() -> {
                if (buffer.abandon()) {
                    ctx.close(); // a slow sender holds no buffer longer
                }
            }, http.bodyDeadline(length, call.rawPath()).toMillis(), TimeUnit.MILLISECONDS);
            if (HttpUtil.is100ContinueExpected(request)) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            }
            answer(ctx, buffer.done().whenComplete((source, error) -> {
                deadline.cancel(false);
                if (upload) {
                    inFlight.exitUpload();
                }
            }).thenApplyAsync(source -> http.handle(call.withBody(source)), workers), close);
        }

        /** Writes the reply once it is ready and every earlier one on this connection is written. */
        private void answer(ChannelHandlerContext ctx, CompletableFuture<HttpReply> reply, boolean close) {
            answering++;
            closing = closing || close;
            lastAnswer = lastAnswer.thenCombineAsync(reply, (previous, ready) -> {
                answering--;
                ctx.writeAndFlush(response(ready, close)).addListener(written -> {
                    if (close && written.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                        linger(ctx, duplex);
                    } else if (close || !written.isSuccess()) {
                        ctx.close();
                    }
                });
                if (answering == 0 && closeLater != null) {
                    ctx.close(closeLater);
                } else if (answering == 0 && readLater) {
                    readLater = false;
                    ctx.read();
                }
                return null;
            }, ctx.executor());
        }

        /**
         * Closes in stages (RFC 9112 section 9.6): the answer went out with {@code Connection: close}, maybe before the
         * request's body was read (413, 401, 503). Closing at once with unread bytes makes the kernel reset the
         * connection, and the client may lose the answer. So the write side is shut, and what still arrives is read
         * and dropped until the client closes too, for {@link Shutdown#SOCKET_CLOSE_WAIT} at most.
         */
        private void linger(ChannelHandlerContext ctx, DuplexChannel duplex) {
            lingering = true;
            duplex.shutdownOutput();
            ctx.channel().config().setAutoRead(true);
            ctx.executor().schedule(() -> ctx.close(), Shutdown.SOCKET_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** The connection is callchat's socket from here: Micronaut's handler goes, Netty's WebSocket takes over. */
        private void upgrade(ChannelHandlerContext ctx, AdapterCall call) {
            Optional<HttpReply> refusal = http.refuseWebSocket(call);
            if (refusal.isPresent()) {
                answer(ctx, CompletableFuture.completedFuture(refusal.get()), true);
                return;
            }
            passing = true;
            ctx.pipeline().remove(ChannelPipelineCustomizer.HANDLER_MICRONAUT_INBOUND);
            ctx.channel().config().setAutoRead(true); // Micronaut's handler read on demand
            ctx.pipeline().addAfter(ctx.name(), "callchat-hub", new HubBridge(sockets.orElseThrow()));
            ctx.pipeline().addAfter(ctx.name(), "callchat-websocket", new WebSocketServerProtocolHandler(
                    WebSocketServerProtocolConfig.newBuilder().websocketPath(mount + CallChatHttp.LOCAL_WS_PATH)
                            .checkStartsWith(true).decoderConfig(WebSocketDecoderConfig.newBuilder()
                                    .maxFramePayloadLength(MAX_FRAME_BYTES).allowExtensions(false).withUTF8Validator(true).build())
                            .build()));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (body != null) {
                body.fail(new ClosedChannelException()); // frees its upload slot now, not at its deadline
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void read(ChannelHandlerContext ctx) {
            if (answering > 0 && body == null && !lingering) { // a body being read is read on
                readLater = true;
            } else {
                ctx.read();
            }
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            if (answering > 0) {
                closeLater = promise; // Micronaut's graceful shutdown or idle timeout: after the answers
            } else {
                ctx.close(promise);
            }
        }
    }

    /**
     * Request headers that remember whether Netty's decoder removed a {@code Content-Length} sent with
     * {@code Transfer-Encoding: chunked}, which it does before anything after it can see the request. RFC 9112
     * section 6.3 (core's {@link Framing} decides and words it) answers such a request 400 and closes, as Undertow
     * does, for the host application's paths too.
     */
    private static final class Evidence extends DefaultHttpHeaders {
        private boolean lengthWithChunked;

        @Override
        public HttpHeaders remove(CharSequence name) {
            lengthWithChunked |= HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name) && contains(name);
            return super.remove(name);
        }
    }

    private static FullHttpResponse response(HttpReply reply, boolean close) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        reply.headers().forEach(response.headers()::set);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, reply.body().length)
                .set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
        }
        return response;
    }
}
