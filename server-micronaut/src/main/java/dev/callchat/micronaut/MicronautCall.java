package dev.callchat.micronaut;

import dev.callchat.core.http.AdapterCall;
import dev.callchat.core.http.BodyTooLargeException;
import dev.callchat.core.http.HttpCall;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.netty.NettyHttpRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.stream.Stream;

/** A Micronaut request as core sees it. */
final class MicronautCall {
    private MicronautCall() {
    }

    /**
     * @param mount the prefix callchat is mounted under ({@code callchat.path}, e.g. {@code /video}), or
     *              empty; the call's path is relative to it, as {@link HttpCall#rawPath()} requires
     * @return the request, its body read blocking when core asks (off the event loop)
     */
    static AdapterCall of(HttpRequest<?> request, String mount) {
        String path = requestPath(request);
        return new AdapterCall(request.getMethodName(), path.startsWith(mount) ? path.substring(mount.length()) : path,
                request.getHeaders()::get, request.getRemoteAddress().getAddress().getHostAddress(), request.isSecure(),
                limit -> blocking(request, limit));
    }

    /**
     * The whole path as Netty received it, percent-encoded, without the query: Micronaut's {@code getPath()}
     * is decoded and normalised, and its {@code getUri()} fails on bytes a URI may not hold (a raw
     * backslash, say), while core must see exactly what was sent.
     */
    static String requestPath(HttpRequest<?> request) {
        return HttpCall.pathOf(((NettyHttpRequest<?>) request).getNativeRequest().uri());
    }

    /** @return the query string as received, with its {@code ?}, or empty */
    static String rawQuery(HttpRequest<?> request) {
        return HttpCall.queryOf(((NettyHttpRequest<?>) request).getNativeRequest().uri());
    }

    /** Micronaut fails the stream at max-request-size (the largest route's limit); core's reader does the rest. */
    private static byte[] blocking(HttpRequest<?> request, int limit) throws BodyTooLargeException {
        try (InputStream in = ((ServerHttpRequest<?>) request).byteBody().toInputStream()) {
            return HttpCall.readLimited(request.getContentLength(), in, limit);
        } catch (IOException | UncheckedIOException | ContentLengthExceededException e) {
            if (causedByLimit(e)) {
                throw new BodyTooLargeException(limit);
            }
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** @return whether Micronaut's own cap (max-request-size) cut a body short: too large, not broken */
    static boolean causedByLimit(Throwable e) {
        return Stream.iterate(e, Objects::nonNull, Throwable::getCause).anyMatch(ContentLengthExceededException.class::isInstance);
    }
}
