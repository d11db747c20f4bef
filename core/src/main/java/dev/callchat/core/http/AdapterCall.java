package dev.callchat.core.http;

import org.jspecify.annotations.Nullable;

import java.util.Optional;
import java.util.function.Function;

/**
 * An {@link HttpCall} an adapter assembles from its framework's request: what it reads of the request
 * line, headers and connection, and a {@link BodySource} for the body (read ahead, or read on demand).
 * Public for adapters (see {@code docs/architecture.md}); applications never need it.
 *
 * @param method        the request method as received
 * @param rawPath       the path below the mount, still percent-encoded, without the query
 * @param headers       a header's first value by name (case-insensitive), or null when absent
 * @param remoteAddress the peer address of the connection, without port
 * @param secure        whether the request came over TLS on this server's own listener
 * @param source        the body
 */
public record AdapterCall(String method, String rawPath, Function<String, @Nullable String> headers,
                          String remoteAddress, boolean secure, BodySource source) implements HttpCall {
    /**
     * @param source the body, e.g. once it has been read ahead
     * @return this request with that body
     */
    public AdapterCall withBody(BodySource source) {
        return new AdapterCall(method, rawPath, headers, remoteAddress, secure, source);
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.apply(name));
    }

    @Override
    public byte[] body() throws BodyTooLargeException {
        return source.read(CallChatHttp.MAX_BODY_BYTES);
    }

    @Override
    public byte[] body(int maxBytes) throws BodyTooLargeException {
        return source.read(maxBytes);
    }
}
