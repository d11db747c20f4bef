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
}
