package dev.callchat.undertow;

import dev.callchat.core.http.BodyTooLargeException;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.http.HttpCall;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * An Undertow exchange seen as core's {@link HttpCall}: either with a body read ahead without
 * blocking, or reading it from an exchange in blocking mode.
 */
final class UndertowCall implements HttpCall {
    private final HttpServerExchange exchange;
    /** The body read ahead, at most one byte over the limit (which means too large); null to read it now. */
    private final byte[] readAhead;
    /** Why reading ahead failed (the client went away or sent less than announced), or null. */
    private final IOException readError;

    /** @param exchange an exchange in blocking mode, or one whose body is not needed */
    UndertowCall(HttpServerExchange exchange) {
        this(exchange, null, null);
    }

    UndertowCall(HttpServerExchange exchange, byte[] readAhead, IOException readError) {
        this.exchange = exchange;
        this.readAhead = readAhead;
        this.readError = readError;
    }

    @Override
    public String method() {
        return exchange.getRequestMethod().toString();
    }

    @Override
    public String rawPath() {
        String raw = exchange.isHostIncludedInRequestURI() ? HttpCall.pathOf(exchange.getRequestURI()) : exchange.getRequestURI();
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
    public boolean secure() {
        return "https".equals(exchange.getRequestScheme());
    }

    @Override
    public byte[] body() throws BodyTooLargeException {
        return body(CallChatHttp.MAX_BODY_BYTES);
    }

    /** Core asks for more than the login limit only on the upload route. */
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
        try {
            return HttpCall.readLimited(exchange.getRequestContentLength(), exchange.getInputStream(), limit);
        } catch (RuntimeException e) {
            if (exchange.getConnection().isOpen()) {
                throw e;
            }
            // Closed under a blocking read (the body deadline passed): Undertow's stream fails with an
            // NPE rather than an IOException. The client did not send its body in time: not our failure.
            throw new UncheckedIOException(new IOException("the connection closed before the body arrived", e));
        }
    }
}
