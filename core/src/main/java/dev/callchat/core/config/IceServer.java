package dev.callchat.core.config;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * One entry of a session's ICE servers, shaped like the browser's {@code RTCIceServer}: STUN URLs
 * alone, or TURN URLs with the session's own short-lived credentials (see docs/local-protocol.md,
 * "ICE servers").
 *
 * @param urls       {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URLs
 * @param username   the TURN username ({@code <expiry>:<identity>}), or {@code null} for STUN
 * @param credential the TURN password derived from the TURN secret, or {@code null} for STUN; a secret
 */
public record IceServer(List<String> urls, @Nullable String username, @Nullable String credential) {
    /**
     * Copies the URLs and checks that credentials come as a pair.
     *
     * @param urls       {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URLs
     * @param username   the TURN username ({@code <expiry>:<identity>}), or {@code null} for STUN
     * @param credential the TURN password derived from the TURN secret, or {@code null} for STUN; a secret
     */
    public IceServer {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
        if ((username == null) != (credential == null)) {
            throw new IllegalArgumentException("username and credential go together");
        }
    }

    /** Never prints the credential. */
    @Override
    public String toString() {
        return "IceServer[urls=" + urls + (username == null ? "" : ", username=" + username + ", credential=<redacted>")
                + "]";
    }
}
