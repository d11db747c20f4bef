package dev.callchat.launcher;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.ConfigException;
import dev.callchat.core.config.EnvironmentConfig;
import dev.callchat.core.config.ServerConfig;
import dev.callchat.core.http.CallChatHttp;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.BiFunction;

/**
 * What every server's {@code main} does the same way: read the configuration (the library's
 * {@link Config} and the server's {@link ServerConfig}, from the environment over {@code .env}),
 * start, and stop on SIGTERM, with one line on stderr and a distinct exit status when that fails
 * (2: invalid configuration, 1: could not start, typically a taken port). For {@code main} methods
 * only: it calls {@link System#exit}.
 */
public final class ServerMain {
    private static final Logger LOG = LoggerFactory.getLogger("callchat");

    private ServerMain() {
    }

    /**
     * Builds the whole service the way the runnable servers do, with a Prometheus registry
     * ({@link ServerMetrics}, per {@link ServerConfig#metrics()}: {@code CALLCHAT_METRICS} and
     * {@code CALLCHAT_METRICS_PORT}), and hands the adapter the {@link CallChatHttp} to serve. On SIGTERM
     * it marks the server not ready, closes it (the adapter drains), then closes the service and the metrics.
     *
     * @param start serves {@code http} on the server configuration's host, port and HTTPS listener; closing
     *              the result stops the server gracefully
     * @param <S>   the server type
     * @return the running server (its shutdown hook is registered)
     */
    public static <S extends AutoCloseable> S serve(BiFunction<ServerConfig, CallChatHttp, S> start) {
        return run((server, config) -> Served.start(server, config, start), null).server();
    }

    /**
     * As {@link #serve}, for a server that serves no HTTPS listener of its own: {@code CALLCHAT_TLS_*} set is an
     * invalid configuration (one line on stderr, exit status 2) rather than silently served over plain HTTP.
     *
     * @param server how the message names the server, e.g. {@code "the Spring Boot jar"}
     * @param start  serves {@code http} on the server configuration's host and port
     * @param <S>    the server type
     * @return the running server (its shutdown hook is registered)
     */
    public static <S extends AutoCloseable> S serveWithoutHttps(String server, BiFunction<ServerConfig, CallChatHttp, S> start) {
        return run((listen, config) -> Served.start(listen, config, start), server).server();
    }

    /**
     * @param start starts a server; closing it stops the server gracefully
     * @param <S>   the server type
     * @return the running server (its shutdown hook is registered)
     */
    public static <S extends AutoCloseable> S run(BiFunction<ServerConfig, Config, S> start) {
        return run(start, null);
    }

    private static <S extends AutoCloseable> S run(BiFunction<ServerConfig, Config, S> start, @Nullable String withoutHttps) {
        ServerConfig server;
        Config config;
        try {
            EnvironmentConfig environment = EnvironmentConfig.load();
            for (String unknown : environment.unknownVariables()) {
                System.err.println("callchat: ignoring " + unknown + ": not a callchat variable (a typo?)");
            }
            config = environment.library().build();
            server = environment.server().build();
            if (withoutHttps != null && server.https().isPresent()) {
                throw new ConfigException("CALLCHAT_TLS_*", withoutHttps + " serves no HTTPS; unset them, or put a"
                        + " TLS-terminating proxy in front");
            }
        } catch (ConfigException e) {
            System.err.println("callchat: invalid configuration: " + e.getMessage());
            System.exit(2);
            throw e; // not reached
        }
        S running;
        try {
            running = start.apply(server, config);
        } catch (RuntimeException e) {
            // Typically the port is taken: one line says so, without a stack trace.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("callchat: could not listen on " + server.host() + ":" + server.port() + ": "
                    + cause.getMessage());
            System.exit(1);
            throw e; // not reached
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("callchat: error while stopping: " + e.getMessage());
            }
        }, "callchat-shutdown"));
        return running;
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
        static <S extends AutoCloseable> Served<S> start(ServerConfig serverConfig, Config config,
                                                         BiFunction<ServerConfig, CallChatHttp, S> start) {
            // Off means off: no registry, so the service's meters are no-ops and nothing is recorded.
            ServerMetrics metrics = serverConfig.metrics().enabled() ? ServerMetrics.create(serverConfig.metrics()) : null;
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
                server = start.apply(serverConfig, http);
                if (metrics != null) {
                    metrics.startListener(serverConfig.host(), http::ready)
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
