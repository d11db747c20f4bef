package dev.callchat.core.http;

import dev.callchat.core.ErrorKind;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 9112's message framing rules, for adapters whose HTTP codec relaxes them (Netty's drops a
 * {@code Content-Length} sent with {@code Transfer-Encoding: chunked}, and frames a body by its length when
 * the last coding is not {@code chunked}); a front proxy may have framed such a body differently, which lets
 * a request be smuggled behind it. The decisions and their wording live here; the adapter finds the evidence
 * in its codec and writes the answer. For adapters (see {@code docs/architecture.md}).
 */
public final class Framing {
    /** Why a request with both {@code Content-Length} and {@code Transfer-Encoding: chunked} is refused. */
    public static final String AMBIGUOUS_LENGTH =
            "Content-Length and Transfer-Encoding: chunked together make the body's length ambiguous";
    /** Why a request whose {@code Transfer-Encoding} does not end in {@code chunked} is refused. */
    public static final String UNKNOWN_LENGTH =
            "A Transfer-Encoding must end in chunked, or the body's length cannot be known";
    /** Why an HTTP/1.1 request without {@code Host} is refused (RFC 9112 section 3.2). */
    public static final String MISSING_HOST = "An HTTP/1.1 request must have a Host header";

    private Framing() {
    }

    /**
     * RFC 9112 section 6.3: a request whose body length is ambiguous or unknowable gets 400 and its
     * connection closes.
     *
     * @param lengthWithChunked whether the request had a {@code Content-Length} beside {@code chunked}
     * @param transferEncoding  the {@code Transfer-Encoding} header, or null
     * @return why the request is refused, or empty when its framing is sound
     */
    public static Optional<String> violation(boolean lengthWithChunked, @Nullable String transferEncoding) {
        if (lengthWithChunked) {
            return Optional.of(AMBIGUOUS_LENGTH);
        }
        if (transferEncoding != null) {
            String[] codings = transferEncoding.split(",");
            if (!codings[codings.length - 1].strip().toLowerCase(Locale.ROOT).equals("chunked")) {
                return Optional.of(UNKNOWN_LENGTH);
            }
        }
        return Optional.empty();
    }

    /**
     * The problem for an error status the adapter's HTTP server answered by itself (a request line it cannot
     * parse, a path it refuses). A server that answers 501 to a transfer coding it does not implement (Tomcat
     * does) gets 400 instead: the body's length cannot be known, and RFC 9112 section 6.3 asks for 400 and a
     * closed connection.
     *
     * @param http             the contract whose problem format the answer takes
     * @param status           the server's own status, 400 or above
     * @param transferEncoding the request's {@code Transfer-Encoding} header, or null
     * @return the problem to answer with
     */
    public static HttpReply serverProblem(CallChatHttp http, int status, @Nullable String transferEncoding) {
        return status == 501 && transferEncoding != null
                ? http.problem(ErrorKind.BAD_REQUEST, UNKNOWN_LENGTH)
                : http.problem(status);
    }

    /**
     * A reply as HTTP/1.1 bytes on the wire, for an adapter that answers below its framework's encoder; the
     * connection closes after it.
     *
     * @param reply the reply
     * @return status line, headers (with {@code Content-Length} and {@code Connection: close}) and body
     */
    public static byte[] encode(HttpReply reply) {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(reply.status()).append(' ')
                .append(ErrorKind.forStatus(reply.status()).title()).append("\r\n");
        reply.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(reply.body().length).append("\r\nConnection: close\r\n\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = java.util.Arrays.copyOf(start, start.length + reply.body().length);
        System.arraycopy(reply.body(), 0, bytes, start.length, reply.body().length);
        return bytes;
    }
}
