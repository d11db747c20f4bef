package dev.callchat.micronaut;

import dev.callchat.core.http.BodyTooLargeException;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpCall;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.netty.NettyHttpRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/** A Micronaut request as core sees it. The body is read only when core asks, and never past the limit. */
final class MicronautCall implements HttpCall {
    private static final byte[] EMPTY = new byte[0];

    private final HttpRequest<?> request;

    MicronautCall(HttpRequest<?> request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.getMethodName();
    }

    /**
     * The request target as Netty received it: Micronaut's {@code getPath()} is decoded and
     * normalised, and its {@code getUri()} fails on bytes a URI may not hold (a raw backslash, say),
     * while core must see exactly what was sent.
     */
    @Override
    public String rawPath() {
        String target = request instanceof NettyHttpRequest<?> netty ? netty.getNativeRequest().uri()
                : request.getUri().getRawPath();
        int end = target.length();
        for (char stop : new char[] {'?', '#'}) {
            int at = target.indexOf(stop);
            end = at >= 0 ? Math.min(end, at) : end;
        }
        String path = target.substring(0, end);
        int scheme = path.startsWith("/") ? -1 : path.indexOf("://");
        if (scheme >= 0) { // absolute-form, as sent to proxies: http://host:port/path
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        return path;
    }

    @Override
    public Optional<String> header(String name) {
        return request.getHeaders().findFirst(name);
    }

    @Override
    public String remoteAddress() {
        InetSocketAddress peer = request.getRemoteAddress();
        return peer.getAddress() == null ? peer.getHostString() : peer.getAddress().getHostAddress();
    }

    /** Called once per request by core; must run off the event loop, since it waits for the body. */
    @Override
    public byte[] body() throws BodyTooLargeException {
        if (!(request instanceof ServerHttpRequest<?> server)) {
            return EMPTY;
        }
        // Micronaut fails the stream at max-request-size (= MAX_BODY_BYTES), with a declared
        // Content-Length before the first byte; reading one byte more catches the rest.
        try (InputStream in = server.byteBody().toInputStream()) {
            byte[] bytes = in.readNBytes(CallChatHttp.MAX_BODY_BYTES + 1);
            if (bytes.length > CallChatHttp.MAX_BODY_BYTES) {
                throw new BodyTooLargeException();
            }
            return bytes;
        } catch (IOException e) {
            if (causedByLimit(e)) {
                throw new BodyTooLargeException();
            }
            throw new UncheckedIOException(e);
        } catch (ContentLengthExceededException e) {
            throw new BodyTooLargeException();
        }
    }

    private static boolean causedByLimit(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ContentLengthExceededException) {
                return true;
            }
        }
        return false;
    }
}
