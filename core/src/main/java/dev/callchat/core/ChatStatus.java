package dev.callchat.core;

/**
 * Where a login's chat stands when its token is handed out. Sent as {@code chat_status} in the login
 * response ({@code "ready"}, {@code "pending"}, {@code "unavailable"}).
 */
public enum ChatStatus {
    /** The identity is a participant of the chat: the client can open it now. */
    READY,
    /**
     * The token grants chat but the enrollment is still queued behind the provider's rate limit
     * (a crowd joining one room at once). The client joins the video now and opens the chat when its
     * participant exists; see docs/twilio-limits.md.
     */
    PENDING,
    /** Chat is down and not required: the token is video-only. */
    UNAVAILABLE;

    /** @return the wire name, {@code "ready"}, {@code "pending"} or {@code "unavailable"} */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
