package dev.callchat.core;

import java.util.Optional;

/**
 * What a login knows about the HTTP request it came from, without depending on any HTTP
 * framework. Adapters implement it; {@link Authenticator}s read it.
 */
public interface RequestContext {
    /**
     * @param name a header name, case-insensitive
     * @return the header's first value, if present
     */
    Optional<String> header(String name);

    /** @return the peer address of the connection (not {@code X-Forwarded-For}) */
    String remoteAddress();

    /** @return a context with no headers and an unknown peer, for calls from plain Java */
    static RequestContext none() {
        return new RequestContext() {
            @Override
            public Optional<String> header(String name) {
                return Optional.empty();
            }

            @Override
            public String remoteAddress() {
                return "unknown";
            }
        };
    }
}
