package dev.callchat.launcher;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.ConfigException;
import dev.callchat.core.config.MetricsConfig;
import dev.callchat.core.http.CallChatHttp;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What every server's {@code main} does the same way: read the configuration, start, and stop on
 * SIGTERM, with one line on stderr and a distinct exit status when that fails (2: invalid
 * configuration, 1: could not start, typically a taken port). For {@code main} methods only: it
 * calls {@link System#exit}.
 */
public final class ServerMain {
    private static final Logger LOG = LoggerFactory.getLogger("callchat");

    private ServerMain() {
    }

    /**
     * Builds the whole service the way both runnable servers do, with a Prometheus registry
     * ({@link ServerMetrics}, per {@code CALLCHAT_METRICS} and {@code CALLCHAT_METRICS_PORT}), and hands the
     * adapter the {@link CallChatHttp} to serve. On SIGTERM it marks the server not ready, closes it (the
     * adapter drains), then closes the service and the metrics.
     *
     * @param start serves {@code http} on the configuration's host, port and HTTPS listener; closing the result
     *              stops the server gracefully
     * @param <S>   the server type
     * @return the running server (its shutdown hook is registered)
     */
    public static <S extends AutoCloseable> S serve(BiFunction<Config, CallChatHttp, S> start) {
        MetricsConfig metricsConfig = configured(MetricsConfig::fromEnvironment);
        return run(config -> Served.start(config, metricsConfig, start)).server();
    }

    /**
     * @param start starts a server from the configuration; closing it stops the server gracefully
     * @param <S>   the server type
     * @return the running server (its shutdown hook is registered)
     */
    public static <S extends AutoCloseable> S run(Function<Config, S> start) {
        Config config = configured(Config::fromEnvironment);
        S server;
        try {
            server = start.apply(config);
        } catch (RuntimeException e) {
            // Typically the port is taken: one line says so, without a stack trace.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("callchat: could not listen on " + config.host() + ":" + config.port() + ": "
                    + cause.getMessage());
            System.exit(1);
            throw e; // not reached
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("callchat: error while stopping: " + e.getMessage());
            }
        }, "callchat-shutdown"));
        return server;
    }

    private static <T> T configured(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ConfigException e) {
            System.err.println("callchat: invalid configuration: " + e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("Closing after a failed start failed", e);
        }
    }

    /** A server with what {@link #serve} built for it, closed in order: not ready, drained, service, metrics. */
    private record Served<S extends AutoCloseable>(S server, CallChatHttp http, CallSessionService service,
                                                    @Nullable ServerMetrics metrics) implements AutoCloseable {
        static <S extends AutoCloseable> Served<S> start(Config config, MetricsConfig metricsConfig,
                                                         BiFunction<Config, CallChatHttp, S> start) {
            // Off means off: no registry, so the service's meters are no-ops and nothing is recorded.
            ServerMetrics metrics = metricsConfig.enabled() ? ServerMetrics.create(metricsConfig) : null;
            CallSessionService service = null;
            S server = null;
            try {
                CallSessionService.Builder builder = CallSessionService.builder(config);
                if (metrics != null) {
                    builder.meterRegistry(metrics.registry());
                }
                service = builder.build();
                CallChatHttp http = new CallChatHttp(service, CallChatHttp.DEFAULT_ASSET_ROOT,
                        metrics == null ? null : metrics.mainPortScrape().orElse(null));
                server = start.apply(config, http);
                if (metrics != null) {
                    metrics.startListener(config.host(), http::ready)
                            .ifPresent(uri -> LOG.info("callchat metrics on {}", uri));
                }
                return new Served<>(server, http, service, metrics);
            } catch (RuntimeException e) {
                if (server != null) {
                    closeQuietly(server);
                }
                if (service != null) {
                    service.close();
                }
                if (metrics != null) {
                    metrics.close();
                }
                throw e;
            }
        }

        @Override
        public void close() throws Exception {
            http.drain();
            try {
                server.close();
            } finally {
                service.close();
                if (metrics != null) {
                    metrics.close();
                }
            }
        }
    }
}
