package dev.callchat.core;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

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

    /**
     * A context from plain values, for calling {@link CallSessionService#login} from code that has its
     * own request (a servlet, a message) and an {@link Authenticator} that reads it.
     *
     * @param headers       header name to value; names are matched case-insensitively
     * @param remoteAddress the peer address
     * @return the context
     */
    static RequestContext of(Map<String, String> headers, String remoteAddress) {
        Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> byName.put(name.toLowerCase(Locale.ROOT), Objects.requireNonNull(value, name)));
        Map<String, String> copy = java.util.Collections.unmodifiableMap(byName);
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        return new RequestContext() {
            @Override
            public Optional<String> header(String name) {
                return Optional.ofNullable(copy.get(name));
            }

            @Override
            public String remoteAddress() {
                return remoteAddress;
            }
        };
    }

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
