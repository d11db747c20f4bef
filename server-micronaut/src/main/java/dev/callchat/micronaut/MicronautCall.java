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
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** A Micronaut request as core sees it. The body is read only when core asks, and never past the limit. */
final class MicronautCall implements HttpCall {
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
        String path = ((NettyHttpRequest<?>) request).getNativeRequest().uri().split("\\?", 2)[0];
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
        return request.getRemoteAddress().getAddress().getHostAddress();
    }

    /** Called once per request by core; must run off the event loop, since it waits for the body. */
    @Override
    public byte[] body() throws BodyTooLargeException {
        // Micronaut fails the stream at max-request-size (= MAX_BODY_BYTES), with a declared
        // Content-Length before the first byte; reading one byte more catches the rest.
        try (InputStream in = ((ServerHttpRequest<?>) request).byteBody().toInputStream()) {
            byte[] bytes = in.readNBytes(CallChatHttp.MAX_BODY_BYTES + 1);
            if (bytes.length > CallChatHttp.MAX_BODY_BYTES) {
                throw new BodyTooLargeException();
            }
            return bytes;
        } catch (IOException | ContentLengthExceededException e) {
            if (causedByLimit(e)) {
                throw new BodyTooLargeException();
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    private static boolean causedByLimit(Throwable e) {
        return Stream.iterate(e, Objects::nonNull, Throwable::getCause).anyMatch(ContentLengthExceededException.class::isInstance);
    }
}
