package dev.callchat.core.http;

import dev.callchat.core.config.Origins;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which browser pages may use the endpoints a cross-site page could otherwise reach without CORS:
 * the WebSocket upgrade (browsers never preflight it) and a login posted as {@code text/plain} (a
 * "simple" request, never preflighted). The page must be the server's own origin, as the request's
 * {@code Host} names it, or one of the configured {@code CALLCHAT_ALLOWED_ORIGINS} (the public
 * origin when a reverse proxy rewrites {@code Host}). See the README's "Origins" section.
 */
final class OriginPolicy {
    private final Set<String> allowed;

    OriginPolicy(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /**
     * @return whether the request's {@code Origin} is the server's own or an allowed one; false when it
     *         has none or an opaque one
     */
    boolean originTrusted(HttpCall call) {
        Optional<String> origin = call.header("Origin").flatMap(Origins::serialize);
        if (origin.isEmpty()) {
            return false;
        }
        return allowed.contains(origin.get())
                || call.header("Host").flatMap(host -> Origins.ofHost(call.secure(), host)).equals(origin);
    }

    /**
     * A WebSocket upgrade: browsers always send {@code Origin} with one, so a request without it comes
     * from a program, which no cross-site page can drive; one with it must be trusted.
     */
    boolean webSocketAllowed(HttpCall call) {
        return call.header("Origin").isEmpty() || originTrusted(call);
    }

    /**
     * A login whose body is JSON declared as {@code text/plain} (the original tutorial's {@code fetch} sets
     * no content type): only from a page provably of this server, since such a request skips the CORS
     * preflight that guards {@code application/json}.
     */
    boolean plainTextLoginAllowed(HttpCall call) {
        return originTrusted(call) || call.header("Sec-Fetch-Site")
                .map(site -> site.strip().toLowerCase(Locale.ROOT).equals("same-origin")).orElse(false);
    }
}
