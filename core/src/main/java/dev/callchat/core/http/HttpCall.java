package dev.callchat.core.http;

import java.util.Optional;

/**
 * One HTTP request as {@link CallChatHttp} needs to see it. Each adapter (Undertow, Micronaut, …)
 * implements this narrow view over its framework's request; nothing else about the framework
 * reaches core.
 */
public interface HttpCall {
    /** @return the request method as received, e.g. {@code "POST"} */
    String method();

    /**
     * @return the path as received: still percent-encoded, without the query string, relative to
     *         where the handler is mounted (an adapter mounted under {@code /chat} passes {@code /login}
     *         for {@code /chat/login})
     */
    String rawPath();

    /**
     * @param name a header name, case-insensitive
     * @return the header's first value, if present
     */
    Optional<String> header(String name);

    /** @return the peer address of the connection (without port), not {@code X-Forwarded-For} */
    String remoteAddress();

    /**
     * Whether the request arrived over TLS on this server's own listener. Core uses it to tell the
     * request's own origin (with {@code Host}) and to send {@code Strict-Transport-Security}.
     * Adapters written before it existed report plain HTTP.
     *
     * @return true for a request received over HTTPS
     */
    default boolean secure() {
        return false;
    }

    /**
     * Reads the whole request body. Adapters read at most {@link CallChatHttp#MAX_BODY_BYTES}: they
     * reject a larger {@code Content-Length} up front and stop reading a streamed (chunked) body as
     * soon as it passes the limit. Only called for requests that need a body.
     *
     * @return the body, empty when there is none
     * @throws BodyTooLargeException when the body is larger than {@link CallChatHttp#MAX_BODY_BYTES}
     * @throws java.io.UncheckedIOException when the body cannot be read completely (the client sent
     *         less than it announced or disconnected); answered with 400
     */
    byte[] body() throws BodyTooLargeException;

    /**
     * Reads the whole request body up to a route-specific limit; {@link CallChatHttp} calls it only for
     * routes that take more than {@link CallChatHttp#MAX_BODY_BYTES} (file uploads,
     * {@link CallChatHttp#LOCAL_FILES_PATH}), and only after the request is authenticated. Same rules as
     * {@link #body()}: reject a larger {@code Content-Length} up front, stop reading a streamed body as
     * soon as it passes the limit.
     *
     * <p>The default serves adapters written before uploads existed: it reads no more than
     * {@link #body()} does, so larger files get 413 until the adapter overrides this.
     *
     * @param maxBytes the most bytes to accept
     * @return the body, empty when there is none
     * @throws BodyTooLargeException when the body is larger than {@code maxBytes}
     * @throws java.io.UncheckedIOException when the body cannot be read completely; answered with 400
     */
    default byte[] body(int maxBytes) throws BodyTooLargeException {
        byte[] body = body();
        if (body.length > maxBytes) {
            throw new BodyTooLargeException(maxBytes);
        }
        return body;
    }

    /**
     * Reads a body of up to {@code maxBytes} from an input stream, the way adapters do: refuse a declared
     * {@code Content-Length} over the limit before reading, read one byte past the limit to detect a
     * longer streamed body, and never buffer more than that.
     *
     * @param contentLength the declared length, or -1 when the body is streamed (chunked) or unknown
     * @param in            the body stream
     * @param maxBytes      the most bytes to accept
     * @return the body
     * @throws BodyTooLargeException when the body is larger than {@code maxBytes}
     * @throws java.io.UncheckedIOException when reading fails
     */
    static byte[] readLimited(long contentLength, java.io.InputStream in, int maxBytes) throws BodyTooLargeException {
        if (contentLength > maxBytes) {
            throw new BodyTooLargeException(maxBytes);
        }
        try {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw new BodyTooLargeException(maxBytes);
            }
            return body;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The path of a request target as received: without the query, and without scheme and authority
     * when the target is in absolute form ({@code GET http://host:port/path}, as sent to proxies).
     * Done by hand because {@link java.net.URI} rejects the odd bytes core must still see to answer them.
     *
     * @param requestTarget the request line's target, still percent-encoded
     * @return the path, {@code /} at least
     */
    static String pathOf(String requestTarget) {
        String path = requestTarget.split("\\?", 2)[0];
        int scheme = path.startsWith("/") ? -1 : path.indexOf("://");
        if (scheme >= 0) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        return path.isEmpty() ? "/" : path;
    }

    /**
     * @param requestTarget the request line's target
     * @return its query with the leading {@code ?}, or empty
     */
    static String queryOf(String requestTarget) {
        int at = requestTarget.indexOf('?');
        return at < 0 ? "" : requestTarget.substring(at);
    }
}
