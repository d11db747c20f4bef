package dev.callchat.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Web origins in the form browsers send them in an {@code Origin} header (RFC 6454, section 6.2):
 * {@code scheme://host[:port]}, scheme and host in lower case, the scheme's default port left out.
 * Two origins are the same exactly when their serialisations are equal.
 */
public final class Origins {
    private Origins() {
    }

    /**
     * @param origin an origin such as {@code https://Chat.Example.com:443}; a trailing {@code /} is tolerated
     * @return its serialisation ({@code https://chat.example.com}), or empty when it is not an http(s) origin
     *         (a path, query, user info, the opaque {@code null} origin, another scheme)
     */
    public static Optional<String> serialize(String origin) {
        if (origin == null) {
            return Optional.empty();
        }
        String value = origin.strip();
        if (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                return Optional.empty();
            }
            return Optional.of(of(scheme, uri.getHost(), uri.getPort()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /**
     * The origin a request was addressed to, from its {@code Host} header and whether it came over TLS.
     *
     * @param secure whether the request arrived over HTTPS
     * @param host   the {@code Host} header ({@code example.com:8080}, {@code [::1]:8080})
     * @return the serialised origin, or empty when the header is not a host with an optional port
     */
    public static Optional<String> ofHost(boolean secure, String host) {
        if (host == null || host.isBlank() || host.contains("/") || host.contains("@")) {
            return Optional.empty();
        }
        return serialize((secure ? "https://" : "http://") + host.strip());
    }

    private static String of(String scheme, String host, int port) {
        int defaultPort = scheme.equals("https") ? 443 : 80;
        String h = host.toLowerCase(Locale.ROOT);
        return scheme + "://" + h + (port < 0 || port == defaultPort ? "" : ":" + port);
    }
}
