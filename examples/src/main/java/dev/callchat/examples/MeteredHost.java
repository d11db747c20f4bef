package dev.callchat.examples;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.undertow.CallChatUndertow;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Example (e) of docs/embedding.md: an application that already keeps a Micrometer registry hands it to
 * callchat, so callchat's meters appear beside its own, and serves the Prometheus scrape under {@code /video/metrics}.
 */
public final class MeteredHost implements AutoCloseable {
    private final Undertow server;
    private final CallSessionService calls;
    private final PrometheusMeterRegistry registry;

    private MeteredHost(Undertow server, CallSessionService calls, PrometheusMeterRegistry registry) {
        this.server = server;
        this.calls = calls;
        this.registry = registry;
    }

    /**
     * @param config the configuration
     * @param host   the address to listen on
     * @param port   the port, or 0 for a free one
     * @return the running application
     */
    public static MeteredHost start(Config config, String host, int port) {
        // embed:metrics
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT); // your application's
        CallSessionService calls = CallSessionService.builder(config).meterRegistry(registry).build();
        CallChatHttp http = new CallChatHttp(calls, CallChatHttp.DEFAULT_ASSET_ROOT, registry::scrape);
        HttpHandler app = Handlers.path().addPrefixPath("/video", CallChatUndertow.handler(http));
        Undertow server = Undertow.builder().addHttpListener(port, host).setHandler(app).build();
        server.start();
        // end:metrics
        return new MeteredHost(server, calls, registry);
    }

    /** @return the application's registry, where callchat's meters now live beside the application's own */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** @return the application's root, e.g. {@code http://127.0.0.1:8080/} */
    public URI baseUri() {
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/");
    }

    /** Stops the server, then the service, then the registry. */
    @Override
    public void close() {
        server.stop();
        calls.close();
        registry.close();
    }
}
