package dev.callchat.core.config;

import java.net.InetAddress;
import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a standalone callchat server listens: address, port, an optional HTTPS listener, and how it
 * exposes its meters ({@link MetricsConfig}). Only the
 * runnable servers (and {@code CallChatUndertow.start}/{@code CallChatMicronaut.start}) read it; an
 * application that embeds callchat in its own server never does, so its own {@code HOST}/{@code PORT}
 * are left alone. Build it with {@link #builder()}, or read {@code HOST}, {@code PORT},
 * {@code CALLCHAT_TLS_*} and {@code CALLCHAT_METRICS*} with {@link #fromEnvironment()} / {@link #from(Map)}.
 */
public final class ServerConfig {
    /** Default of {@link #host()}: loopback only (use {@code 0.0.0.0} to serve a LAN). */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default of {@link #port()}. */
    public static final int DEFAULT_PORT = 8080;
    /** Default port of the HTTPS listener, when one is configured. */
    public static final int DEFAULT_HTTPS_PORT = 8443;

    private final String host;
    private final int port;
    private final Optional<HttpsListener> https;
    private final MetricsConfig metrics;

    private ServerConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.https = Optional.ofNullable(b.https);
        this.metrics = b.metrics;
    }

    /** @return a builder at {@value #DEFAULT_HOST}:{@value #DEFAULT_PORT}, without HTTPS */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads {@code HOST}, {@code PORT}, {@code CALLCHAT_TLS_*} and {@code CALLCHAT_METRICS*} from the process environment over a
     * {@code .env} file in the working directory, and loads the TLS key material.
     *
     * @return the validated settings
     * @throws ConfigException naming the first invalid variable
     */
    public static ServerConfig fromEnvironment() {
        return EnvironmentConfig.load().server().build();
    }

    /**
     * @param variables variable name to value; absent or blank means "use the default"
     * @return the validated settings
     * @throws ConfigException naming the first invalid variable
     */
    public static ServerConfig from(Map<String, String> variables) {
        return EnvironmentConfig.of(variables).server().build();
    }

    /** @return the address to listen on ({@code HOST}) */
    public String host() {
        return host;
    }

    /** @return the port to listen on ({@code PORT}; 0 picks a free one) */
    public int port() {
        return port;
    }

    /** @return an HTTPS listener beside the HTTP one ({@code CALLCHAT_TLS_*}); empty for none */
    public Optional<HttpsListener> https() {
        return https;
    }

    /** @return how the server exposes its meters ({@code CALLCHAT_METRICS}, {@code CALLCHAT_METRICS_PORT}) */
    public MetricsConfig metrics() {
        return metrics;
    }

    /**
     * A listener's base URL, with an IPv6 address in brackets as URLs require.
     *
     * @param scheme  {@code http} or {@code https}
     * @param address the bound address
     * @param port    the bound port
     * @return e.g. {@code http://127.0.0.1:8080/} or {@code http://[::1]:8080/}
     */
    public static URI baseUri(String scheme, InetAddress address, int port) {
        return baseUri(scheme, address.getHostAddress(), port);
    }

    /**
     * @param scheme {@code http} or {@code https}
     * @param host   a host name or address literal
     * @param port   the port
     * @return the base URL, with an IPv6 literal in brackets
     */
    public static URI baseUri(String scheme, String host, int port) {
        String bare = host.startsWith("[") ? host : host.contains(":") ? "[" + host + "]" : host;
        return URI.create(scheme + "://" + bare + ":" + port + "/");
    }

    @Override
    public String toString() {
        return "ServerConfig[host=" + host + ", port=" + port + ", https=" + https.map(HttpsListener::toString).orElse("none")
                + ", metrics=" + metrics + "]";
    }

    /** Collects the settings; {@link #build()} validates them. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private HttpsListener https;
        private MetricsConfig metrics = MetricsConfig.defaults();

        private Builder() {
        }

        /**
         * @param host the address to listen on; default {@value ServerConfig#DEFAULT_HOST}
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * @param port the port to listen on, 0 for a free one; default {@value ServerConfig#DEFAULT_PORT}
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * @param https an HTTPS listener beside the HTTP one, or null for none (the default)
         * @return this builder
         */
        public Builder https(HttpsListener https) {
            this.https = https;
            return this;
        }

        /**
         * @param metrics how to expose meters; default {@link MetricsConfig#defaults()} ({@code /metrics} on the main port)
         * @return this builder
         */
        public Builder metrics(MetricsConfig metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * @return this builder
         * @throws ConfigException naming the variable of the first value that breaks its rule
         */
        public Builder validate() {
            if (host.isBlank()) {
                throw new ConfigException(EnvironmentConfig.HOST, "must not be blank");
            }
            if (port < 0 || port > 65535) {
                throw new ConfigException(EnvironmentConfig.PORT, "must be between 0 and 65535 (got " + port + ")");
            }
            if (https != null && https.port() != 0 && https.port() == port) {
                throw new ConfigException(EnvironmentConfig.TLS_PORT, "must differ from PORT (both are " + port + ")");
            }
            int metricsPort = metrics.port().orElse(0);
            if (metricsPort != 0 && metricsPort == port) {
                throw new ConfigException(EnvironmentConfig.METRICS_PORT, "must differ from PORT (both are " + port
                        + "); leave it unset to serve /metrics on the main port");
            }
            if (metricsPort != 0 && https != null && metricsPort == https.port()) {
                throw new ConfigException(EnvironmentConfig.METRICS_PORT, "must differ from CALLCHAT_TLS_PORT (both are "
                        + metricsPort + ")");
            }
            return this;
        }

        /**
         * Validates, and loads the HTTPS key material so that a wrong file fails now, naming its variable.
         *
         * @return the settings
         * @throws ConfigException naming the variable of the first value that breaks its rule
         */
        public ServerConfig build() {
            validate();
            if (https != null) {
                https.sslContext();
            }
            return new ServerConfig(this);
        }
    }
}
