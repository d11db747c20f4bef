package dev.callchat.micronaut;

import dev.callchat.core.CallSessionService;
import dev.callchat.core.config.Config;
import dev.callchat.core.config.HttpsListener;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.spi.RoomHub;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.server.netty.NettyHttpServer;
import io.micronaut.runtime.graceful.GracefulShutdownConfiguration;
import io.micronaut.runtime.graceful.GracefulShutdownManager;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A running callchat Micronaut server. {@link #close()} stops it gracefully. */
final class CallChatServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("callchat");

    private final ApplicationContext context;
    private final EmbeddedServer server;

    private CallChatServer(ApplicationContext context, EmbeddedServer server) {
        this.context = context;
        this.server = server;
    }

    /**
     * @param host       the address to listen on
     * @param port       the port, 0 for any free one
     * @param singletons beans that replace {@link CallChatBeans}' (a {@code Config}, a {@code CallChatHttp})
     * @return the started server
     */
    static CallChatServer start(String host, int port, Object... singletons) {
        return start(Map.of(), host, port, singletons);
    }

    /** As {@link #start(String, int, Object...)}, with Micronaut settings on top of callchat's (for tests). */
    static CallChatServer start(Map<String, Object> settings, String host, int port, Object... singletons) {
        Map<String, Object> tls = new HashMap<>();
        for (Object singleton : singletons) {
            if (singleton instanceof Config config) {
                config.https().ifPresent(https -> tls.putAll(tlsProperties(https)));
            }
        }
        ApplicationContext context = ApplicationContext.builder()
                .mainClass(Main.class)
                .banner(false)
                .deduceEnvironment(false)
                .properties(Map.of(
                        "micronaut.server.host", host,
                        "micronaut.server.port", port == 0 ? -1 : port, // Micronaut spells "any free port" -1
                        // MicronautCall reads bodies lazily and holds each route to its own limit (core's
                        // maxBodyBytes(path)); this only cuts huge ones short early, so it must admit uploads.
                        "micronaut.server.max-request-size", maxRequestSize(singletons),
                        // Otherwise a path with a byte a URI may not hold (a raw backslash) never reaches core.
                        "micronaut.server.escape-html-url", true,
                        // Replies go out as core made them; Undertow does not compress either.
                        "micronaut.server.netty.compression-threshold", -1,
                        "micronaut.lifecycle.graceful-shutdown.enabled", true,
                        // Micronaut's drive-by-localhost guard refuses every non-local Origin on a server bound
                        // to 127.0.0.1, including the proxy's public origin; core's one origin rule
                        // (CALLCHAT_ALLOWED_ORIGINS) decides instead, as on Undertow.
                        "micronaut.server.cors.localhost-pass-through", true))
                .properties(tls)
                .properties(settings)
                .singletons(singletons)
                .build();
        try {
            context.start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            CallChatServer running = new CallChatServer(context, server);
            CallSessionService service = context.getBean(CallChatHttp.class).service();
            LOG.info("callchat listening on {}{} (provider: {}, room: {})", running.baseUri(),
                    running.httpsUri().map(https -> " and " + https).orElse(""), service.providerName(),
                    service.config().defaultRoom());
            return running;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** The largest body any route takes: an upload in local mode, else a login. */
    private static int maxRequestSize(Object... singletons) {
        for (Object singleton : singletons) {
            if (singleton instanceof CallChatHttp http) {
                return http.maxBodyBytes();
            }
        }
        for (Object singleton : singletons) {
            if (singleton instanceof dev.callchat.core.config.Config config) {
                return config.twilio().isPresent() ? CallChatHttp.MAX_BODY_BYTES
                        : (int) Math.max(CallChatHttp.MAX_BODY_BYTES, config.maxUploadBytes());
            }
        }
        return (int) dev.callchat.core.config.Config.MAX_MAX_UPLOAD;
    }

    /** @return where the server listens, e.g. {@code http://127.0.0.1:8080/} */
    URI baseUri() {
        int port = server.getPort();
        if (httpsUri().isPresent() && server instanceof NettyHttpServer netty) {
            // With SSL on, getPort() is the HTTPS listener's; the plain one is the other bound port.
            port = netty.getBoundPorts().stream().filter(p -> p != server.getPort()).findFirst().orElse(port);
        }
        return URI.create("http://" + host() + ":" + port + "/");
    }

    /** @return where the server listens for HTTPS, when {@code CALLCHAT_TLS_*} configured it */
    Optional<URI> httpsUri() {
        return "https".equals(server.getScheme())
                ? Optional.of(URI.create("https://" + host() + ":" + server.getPort() + "/")) : Optional.empty();
    }

    private String host() {
        return server.getHost().contains(":") ? "[" + server.getHost() + "]" : server.getHost();
    }

    /**
     * Micronaut's own SSL, from the same {@code CALLCHAT_TLS_*} settings core validated: HTTPS on its
     * port, plain HTTP kept beside it (dual protocol).
     */
    static Map<String, Object> tlsProperties(HttpsListener https) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.ssl.enabled", true);
        properties.put("micronaut.server.ssl.port", https.port() == 0 ? -1 : https.port());
        properties.put("micronaut.server.dual-protocol", true);
        if (https.keystore().isPresent()) {
            properties.put("micronaut.server.ssl.key-store.path", "file:" + https.keystore().get().toAbsolutePath());
            properties.put("micronaut.server.ssl.key-store.password", https.keystorePassword().orElseThrow());
            properties.put("micronaut.server.ssl.key-store.type", "PKCS12");
        } else {
            properties.put("micronaut.server.ssl.key-store.key-path", "file:" + https.privateKey().orElseThrow().toAbsolutePath());
            properties.put("micronaut.server.ssl.key-store.certificate-path",
                    "file:" + https.certificate().orElseThrow().toAbsolutePath());
        }
        return properties;
    }

    /**
     * Closes the local hub's WebSockets with 1001 first (Netty would otherwise just drop them), lets
     * in-flight requests finish within the grace period, then stops the server and closes the service.
     */
    @Override
    public void close() {
        if (!context.isRunning()) {
            return;
        }
        context.getBean(CallChatHttp.class).service().localHub().ifPresent(RoomHub::close);
        long graceMillis = context.getBean(GracefulShutdownConfiguration.class).getGracePeriod().toMillis();
        try {
            context.getBean(GracefulShutdownManager.class).shutdownGracefully()
                    .toCompletableFuture().get(graceMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Stop anyway: what did not finish in time is cut off.
        }
        server.stop();
        context.close();
    }
}
