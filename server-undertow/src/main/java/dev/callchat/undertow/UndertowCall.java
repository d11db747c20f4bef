package dev.callchat.undertow;

import dev.callchat.core.http.BodyTooLargeException;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpCall;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/** An Undertow exchange seen as core's {@link HttpCall}; the exchange must be in blocking mode. */
final class UndertowCall implements HttpCall {
    private final HttpServerExchange exchange;

    UndertowCall(HttpServerExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public String method() {
        return exchange.getRequestMethod().toString();
    }

    @Override
    public String rawPath() {
        String raw = exchange.getRequestURI();
        if (exchange.isHostIncludedInRequestURI()) {
            // Absolute form (GET http://host/path): drop scheme and authority by hand, since URI.create
            // rejects the odd bytes core must still get to answer.
            int authority = raw.indexOf("://");
            int path = authority < 0 ? -1 : raw.indexOf('/', authority + 3);
            raw = path < 0 ? "/" : raw.substring(path);
        }
        // Mounted under a prefix (PathHandler.addPrefixPath): core sees the path below it.
        String prefix = exchange.getResolvedPath();
        if (prefix.isEmpty()) {
            return raw;
        }
        return raw.startsWith(prefix) ? raw.substring(prefix.length()) : exchange.getRelativePath();
    }

    @Override
    public Optional<String> header(String name) {
        HeaderValues values = exchange.getRequestHeaders().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    @Override
    public String remoteAddress() {
        return exchange.getSourceAddress().getAddress().getHostAddress();
    }

    @Override
    public byte[] body() throws BodyTooLargeException {
        int limit = CallChatHttp.MAX_BODY_BYTES;
        String length = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
        if (length != null && exchange.getRequestContentLength() > limit) {
            throw new BodyTooLargeException();
        }
        try {
            InputStream in = exchange.getInputStream();
            byte[] body = in.readNBytes(limit + 1);  // one more than allowed tells a chunked body is too large
            if (body.length > limit) {
                throw new BodyTooLargeException();
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
