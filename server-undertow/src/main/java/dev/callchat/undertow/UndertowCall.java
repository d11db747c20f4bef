package dev.callchat.undertow;

import dev.callchat.core.http.AdapterCall;
import dev.callchat.core.http.BodySource;
import dev.callchat.core.http.HttpCall;
import io.undertow.server.HttpServerExchange;

import java.io.IOException;
import java.io.UncheckedIOException;

/** An Undertow exchange seen as core's {@link HttpCall}. */
final class UndertowCall {
    private UndertowCall() {
    }

    /**
     * @param exchange the exchange
     * @param body     its body, read ahead or {@link #blocking} from an exchange in blocking mode
     * @return the call
     */
    static AdapterCall of(HttpServerExchange exchange, BodySource body) {
        return new AdapterCall(exchange.getRequestMethod().toString(), rawPath(exchange),
                exchange.getRequestHeaders()::getFirst, exchange.getSourceAddress().getAddress().getHostAddress(),
                "https".equals(exchange.getRequestScheme()), body);
    }

    /** The path below the mount (PathHandler.addPrefixPath), still percent-encoded. */
    static String rawPath(HttpServerExchange exchange) {
        String raw = exchange.isHostIncludedInRequestURI() ? HttpCall.pathOf(exchange.getRequestURI()) : exchange.getRequestURI();
        String prefix = exchange.getResolvedPath(); // empty when not mounted under a prefix
        return raw.startsWith(prefix) ? raw.substring(prefix.length()) : exchange.getRelativePath();
    }

    /** @return the body of an exchange in blocking mode, read when core asks */
    static BodySource blocking(HttpServerExchange exchange) {
        return limit -> {
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
        };
    }
}
