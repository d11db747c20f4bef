package dev.callchat.core.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.callchat.core.ErrorKind;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds every reply, so the security headers and the problem format are decided in one place. */
final class Replies {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "media-src 'self' blob: mediastream:; connect-src 'self' https://*.twilio.com wss://*.twilio.com; "
            + "worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
    /**
     * The page's own camera, microphone and screen sharing, and nobody else's (frames of other origins
     * get none). 'self' in connect-src covers ws:/wss: to the page's own host (CSP Level 3), so no
     * socket can leave for another host.
     */
    static final String PERMISSIONS_POLICY = "camera=(self), microphone=(self), display-capture=(self)";
    /** Sent on every reply to a request that came over HTTPS: a year, as browsers' preload lists expect. */
    static final String HSTS = "max-age=31536000";
    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";
    /** Used when a 429 or 503 has no better estimate; clients must always be told how long to wait. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private static final byte[] EMPTY = new byte[0];

    private final ObjectMapper mapper;

    Replies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    static Map<String, String> baseHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Permissions-Policy", PERMISSIONS_POLICY);
        return headers;
    }

    HttpReply json(int status, ObjectNode body) {
        Map<String, String> headers = baseHeaders();
        headers.put("Content-Type", JSON);
        headers.put("Cache-Control", "no-store");
        return new HttpReply(status, headers, bytes(body));
    }

    HttpReply problem(ErrorKind kind, String detail, Duration retryAfter, Map<String, String> extraHeaders) {
        ObjectNode body = mapper.createObjectNode()
                .put("type", kind.type())
                .put("title", kind.title())
                .put("status", kind.status())
                .put("detail", detail);
        Map<String, String> headers = baseHeaders();
        headers.put("Content-Type", PROBLEM_JSON);
        headers.put("Cache-Control", "no-store");
        if (kind == ErrorKind.TOO_MANY_REQUESTS || kind == ErrorKind.SERVICE_UNAVAILABLE) {
            Duration wait = retryAfter == null ? DEFAULT_RETRY_AFTER : retryAfter;
            headers.put("Retry-After", Long.toString(Math.max(1, ceilSeconds(wait))));
        }
        headers.putAll(extraHeaders);
        return new HttpReply(kind.status(), headers, bytes(body));
    }

    /** @return the reply with {@code Strict-Transport-Security} added */
    static HttpReply withHsts(HttpReply reply) {
        Map<String, String> headers = new LinkedHashMap<>(reply.headers());
        headers.put("Strict-Transport-Security", HSTS);
        return new HttpReply(reply.status(), headers, reply.body());
    }

    static HttpReply withoutBody(HttpReply reply) {
        return reply.body().length == 0 ? reply : new HttpReply(reply.status(), reply.headers(), EMPTY);
    }

    private static long ceilSeconds(Duration d) {
        long seconds = d.getSeconds();
        return d.getNano() > 0 ? seconds + 1 : seconds;
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a tree of strings and numbers", e);
        }
    }
}
