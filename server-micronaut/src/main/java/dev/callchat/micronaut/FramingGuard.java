package dev.callchat.micronaut;

import dev.callchat.core.ErrorKind;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.Framing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;


/**
 * RFC 9112 section 6.3 framing rules that Netty's decoder relaxes (core's {@link Framing} decides and words
 * them), checked ahead of it on every HTTP/1 connection. Netty drops {@code Content-Length} when {@code Transfer-Encoding: chunked} comes with it
 * and goes on, and it frames a body by {@code Content-Length} when {@code Transfer-Encoding} does not end
 * in {@code chunked}; either way a front proxy may have framed the body differently, which lets a
 * request be smuggled behind it. Here both are answered 400 and the connection is closed, as Undertow does.
 *
 * <p>Netty removes the evidence before anything after it can see it, so this handler runs a second
 * request decoder over the same bytes to follow request boundaries; the bytes themselves go on to
 * Micronaut unchanged. It stops watching at a protocol upgrade (a WebSocket's frames are not HTTP) and
 * when its own decoder fails (Micronaut's answers that request).
 */
final class FramingGuard extends ChannelInboundHandlerAdapter {
    private static final int LIMIT = 64 * 1024;

    private final CallChatHttp http;
    private final Shadow decoder = new Shadow();
    private final EmbeddedChannel shadow = new EmbeddedChannel(decoder);
    private boolean watching = true;

    FramingGuard(CallChatHttp http) {
        this.http = http;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!watching || !(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        shadow.writeInbound(bytes.retainedDuplicate());
        String violation = null;
        for (Object decoded = shadow.readInbound(); decoded != null; decoded = shadow.readInbound()) {
            if (decoded instanceof HttpRequest request && violation == null) {
                violation = Framing.violation(decoder.lengthAndChunked,
                        request.headers().get(HttpHeaderNames.TRANSFER_ENCODING)).orElse(null);
                if (request.decoderResult().isFailure() || request.headers().contains(HttpHeaderNames.UPGRADE)) {
                    watching = false;
                }
            }
            ReferenceCountUtil.release(decoded);
        }
        if (violation != null) {
            ReferenceCountUtil.release(msg);
            stop();
            // Written as bytes from here, before Netty's encoder: nothing after this handler sees this request.
            ctx.writeAndFlush(Unpooled.wrappedBuffer(Framing.encode(http.problem(ErrorKind.BAD_REQUEST, violation))))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!watching) {
            stop();
        }
        ctx.fireChannelRead(msg);
    }

    private void stop() {
        watching = false;
        shadow.finishAndReleaseAll();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        shadow.finishAndReleaseAll();
        ctx.fireChannelInactive();
    }

    /** Netty's request decoder, telling when it had to drop a Content-Length for chunked. */
    private static final class Shadow extends HttpRequestDecoder {
        boolean lengthAndChunked;

        Shadow() {
            super(new HttpDecoderConfig().setMaxInitialLineLength(LIMIT).setMaxHeaderSize(LIMIT).setMaxChunkSize(LIMIT));
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            lengthAndChunked = true;
            super.handleTransferEncodingChunkedWithContentLength(message);
        }
    }
}
