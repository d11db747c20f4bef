package dev.callchat.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.callchat.core.config.MetricsConfig;
import dev.callchat.core.http.MetricsScrape;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;

/**
 * The runnable servers' meters: a Prometheus registry with the JVM and process binders, scraped either on the
 * main port (through core's {@code /metrics} route) or on a separate listener of its own
 * ({@code CALLCHAT_METRICS_PORT}). The separate listener is the JDK's built-in HTTP server, so both adapters
 * expose it identically whatever their framework.
 */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private final MetricsConfig config;
    private @Nullable HttpServer listener;
    private @Nullable ExecutorService listenerThreads;

    private ServerMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc, MetricsConfig config) {
        this.registry = registry;
        this.gc = gc;
        this.config = config;
    }

    /**
     * @param config whether and where to serve the scrape
     * @return a registry with the JVM and process binders bound; no listener yet
     */
    public static ServerMetrics create(MetricsConfig config) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return new ServerMetrics(registry, gc, config);
    }

    /** @return the registry to hand to {@code CallSessionService.builder(config).meterRegistry(...)} */
    public MeterRegistry registry() {
        return registry;
    }

    /** @return the scrape for core's {@code /metrics} route, empty when it is off or served on its own port */
    public Optional<MetricsScrape> mainPortScrape() {
        return config.enabled() && config.port().isEmpty() ? Optional.of(registry::scrape) : Optional.empty();
    }

    /**
     * Starts the separate listener when {@code CALLCHAT_METRICS_PORT} asks for one: {@code GET /metrics}, plus
     * {@code /health/live} and {@code /health/ready} so that probes need not reach the public port either.
     *
     * @param host  the address to listen on (the server's own {@code HOST})
     * @param ready whether the server takes traffic, for {@code /health/ready}
     * @return where it listens, when it does
     * @throws UncheckedIOException when the port is taken
     */
    public Optional<URI> startListener(String host, BooleanSupplier ready) {
        if (!config.enabled() || config.port().isEmpty()) {
            return Optional.empty();
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, config.port().getAsInt()), 16);
            server.createContext("/", exchange -> answer(exchange, ready));
            // Two threads: scrapes are rare and short; a slow scraper must not hold the main server's workers.
            listenerThreads = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "callchat-metrics");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(listenerThreads);
            server.start();
            listener = server;
            String shown = host.contains(":") ? "[" + host + "]" : host;
            return Optional.of(URI.create("http://" + shown + ":" + server.getAddress().getPort() + "/metrics"));
        } catch (IOException e) {
            throw new UncheckedIOException("metrics port " + config.port().getAsInt() + ": " + e.getMessage(), e);
        }
    }

    private void answer(HttpExchange exchange, BooleanSupplier ready) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            int status;
            String type;
            String body;
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                status = 405;
                type = "application/problem+json";
                body = "{\"type\":\"https://callchat.dev/problems/method-not-allowed\",\"title\":\"Method not allowed\","
                        + "\"status\":405,\"detail\":\"This path accepts only GET, HEAD\"}";
            } else if (path.equals("/metrics")) {
                status = 200;
                type = MetricsScrape.PROMETHEUS_TEXT;
                body = registry.scrape();
            } else if (path.equals("/health/live")) {
                status = 200;
                type = "application/json";
                body = "{\"status\":\"UP\"}";
            } else if (path.equals("/health/ready")) {
                boolean up = ready.getAsBoolean();
                status = up ? 200 : 503;
                type = "application/json";
                body = up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}";
            } else {
                status = 404;
                type = "application/problem+json";
                body = "{\"type\":\"https://callchat.dev/problems/not-found\",\"title\":\"Not found\",\"status\":404,"
                        + "\"detail\":\"Nothing is served at this path\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    /** Stops the separate listener and releases the binders. Idempotent. */
    @Override
    public void close() {
        HttpServer server = listener;
        listener = null;
        if (server != null) {
            server.stop(0);
        }
        if (listenerThreads != null) {
            listenerThreads.shutdownNow();
        }
        gc.close();
        registry.close();
    }
}
