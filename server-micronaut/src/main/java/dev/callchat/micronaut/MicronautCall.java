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
    private final String mount;
    /** The body read ahead without blocking, at most one byte over the limit; null to read it now. */
    private final byte[] readAhead;
    /** Why reading ahead failed (the client went away or sent less than announced), or null. */
    private final IOException readError;

    MicronautCall(HttpRequest<?> request) {
        this(request, "");
    }

    /**
     * @param mount the prefix callchat is mounted under ({@code callchat.path}, e.g. {@code /video}), or
     *              empty; {@link #rawPath()} is relative to it, as {@link HttpCall#rawPath()} requires
     */
    MicronautCall(HttpRequest<?> request, String mount) {
        this(request, mount, null, null);
    }

    private MicronautCall(HttpRequest<?> request, String mount, byte[] readAhead, IOException readError) {
        this.request = request;
        this.mount = mount;
        this.readAhead = readAhead;
        this.readError = readError;
    }

    /** @return this request with its body already read (or its reading failed) */
    MicronautCall withBody(byte[] body, IOException error) {
        return new MicronautCall(request, mount, body, error);
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
        String path = requestPath();
        return path.startsWith(mount) ? path.substring(mount.length()) : path;
    }

    /** The whole path as received, percent-encoded, without the query. */
    String requestPath() {
        return HttpCall.pathOf(((NettyHttpRequest<?>) request).getNativeRequest().uri());
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
        return body(CallChatHttp.MAX_BODY_BYTES);
    }

    /** Core asks for more than the login limit only on the upload route. */
    @Override
    public boolean secure() {
        return request.isSecure();
    }

    @Override
    public byte[] body(int limit) throws BodyTooLargeException {
        if (readError != null) {
            throw new UncheckedIOException(readError);
        }
        if (readAhead != null) {
            if (readAhead.length > limit) {
                throw new BodyTooLargeException(limit);
            }
            return readAhead;
        }
        // Micronaut fails the stream at max-request-size (the largest route's limit); core's reader does the rest.
        try (InputStream in = ((ServerHttpRequest<?>) request).byteBody().toInputStream()) {
            return HttpCall.readLimited(request.getContentLength(), in, limit);
        } catch (IOException | UncheckedIOException | ContentLengthExceededException e) {
            if (causedByLimit(e)) {
                throw new BodyTooLargeException(limit);
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** @return the declared {@code Content-Length}, or -1 for a streamed body */
    long contentLength() {
        return request.getContentLength();
    }

    /** @return the query string as received, with its {@code ?}, or empty */
    String rawQuery() {
        return HttpCall.queryOf(((NettyHttpRequest<?>) request).getNativeRequest().uri());
    }

    private static boolean causedByLimit(Throwable e) {
        return Stream.iterate(e, Objects::nonNull, Throwable::getCause).anyMatch(ContentLengthExceededException.class::isInstance);
    }
}
