package dev.callchat.core.http;

import java.util.Map;
import java.util.Objects;

/**
 * What an adapter writes back: status, headers and body, all decided by {@link CallChatHttp}.
 * Adapters copy every header as-is and add only what their transport needs ({@code Content-Length},
 * {@code Date}, connection handling). For {@code HEAD} requests the body is already empty.
 *
 * @param status  the HTTP status code
 * @param headers header name to value, in a stable order (never null)
 * @param body    the body bytes, empty for none (never null)
 */
public record HttpReply(int status, Map<String, String> headers, byte[] body) {
    /** Copies the headers, so a reply cannot change after it is built. */
    public HttpReply {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }

    /** @return the reply's {@code Content-Type}, if it has a body type */
    public java.util.Optional<String> contentType() {
        return java.util.Optional.ofNullable(headers.get("Content-Type"));
    }

    /** Prints status and headers only: login bodies hold a token. */
    @Override
    public String toString() {
        return "HttpReply[status=" + status + ", headers=" + headers + ", body=" + body.length + " bytes]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HttpReply other && status == other.status && headers.equals(other.headers)
                && java.util.Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + headers.hashCode()) + java.util.Arrays.hashCode(body);
    }
}
