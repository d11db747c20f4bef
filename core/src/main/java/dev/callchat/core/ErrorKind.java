package dev.callchat.core;

/**
 * Every way a request to callchat can fail, with the HTTP status and the RFC 9457 problem
 * {@code type} and {@code title} that adapters render. This enum is the single table both
 * adapters use, so their error bodies cannot drift apart.
 */
public enum ErrorKind {
    /** Malformed JSON, wrong types, invalid username or room name. */
    BAD_REQUEST(400, "bad-request", "Bad request"),
    /** Missing or blank username, or the integrator's {@link Authenticator} refused the request. */
    UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
    /** Authenticated, but not allowed to do this (for example fetch another room's shared file). */
    FORBIDDEN(403, "forbidden", "Forbidden"),
    /** No such resource. */
    NOT_FOUND(404, "not-found", "Not found"),
    /** Wrong HTTP method; adapters add an {@code Allow} header. */
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    /** Request body over the configured limit. */
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large"),
    /** Request target longer than the server accepts (reported by adapters whose framework rejects it). */
    URI_TOO_LONG(414, "uri-too-long", "URI too long"),
    /** Request body is not JSON, or an uploaded file is not of an allowed type. */
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    /** The room is locked by its host: no new members until it is unlocked (current members may still log in). */
    LOCKED(423, "room-locked", "Room locked"),
    /** Too many logins from one client; carries a retry-after. */
    TOO_MANY_REQUESTS(429, "too-many-requests", "Too many requests"),
    /** Request headers larger or more numerous than the server accepts (reported by adapters). */
    HEADERS_TOO_LARGE(431, "headers-too-large", "Request header fields too large"),
    /** A bug or an unexpected failure on our side; details are logged, never rendered. */
    INTERNAL_ERROR(500, "internal-error", "Internal server error"),
    /** Twilio rejected our credentials: an operator must fix the configuration. */
    UPSTREAM_REJECTED(502, "upstream-credentials-rejected", "Twilio rejected the configured credentials"),
    /** Twilio is unavailable (after retries, or the circuit is open) and chat is required. */
    SERVICE_UNAVAILABLE(503, "service-unavailable", "Service unavailable");

    private static final String TYPE_BASE = "https://callchat.dev/problems/";

    private final int status;
    private final String slug;
    private final String title;

    ErrorKind(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    /** @return the HTTP status code */
    public int status() {
        return status;
    }

    /** @return the problem {@code type} URI */
    public String type() {
        return TYPE_BASE + slug;
    }

    /** @return the short, human problem {@code title} (same for every occurrence of this kind) */
    public String title() {
        return title;
    }

    /**
     * @param status an HTTP status code
     * @return the kind answering with it, or {@link #BAD_REQUEST} / {@link #INTERNAL_ERROR} for a 4xx / 5xx without one
     */
    public static ErrorKind forStatus(int status) {
        for (ErrorKind kind : values()) {
            if (kind.status == status && kind != UPSTREAM_REJECTED) {
                return kind;
            }
        }
        return status < 500 ? BAD_REQUEST : INTERNAL_ERROR;
    }
}
