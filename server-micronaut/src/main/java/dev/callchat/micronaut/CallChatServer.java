package dev.callchat.micronaut;

import dev.callchat.core.config.Config;
import dev.callchat.core.config.HttpsListener;
import dev.callchat.core.http.CallChatHttp;
import dev.callchat.core.local.LocalRoomHub;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.server.netty.NettyHttpServer;
import io.micronaut.runtime.graceful.GracefulShutdownConfiguration;
import io.micronaut.runtime.graceful.GracefulShutdownManager;
import io.micronaut.runtime.server.EmbeddedServer;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A running callchat Micronaut server. {@link #close()} stops it gracefully. */
final class CallChatServer implements AutoCloseable {
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
        Map<String, Object> tls = new HashMap<>();
        for (Object singleton : singletons) {
            if (singleton instanceof Config config) {
                config.https().ifPresent(https -> tls.putAll(tlsProperties(https)));
            }
        }
        ApplicationContext context = ApplicationContext.builder()
                .mainClass(Main.class)
                .banner(false)
                .properties(tls)
                .properties(Map.of(
                        "micronaut.server.host", host,
                        "micronaut.server.port", port == 0 ? -1 : port, // Micronaut spells "any free port" -1
                        // MicronautCall reads bodies lazily; this only cuts huge ones short early.
                        "micronaut.server.max-request-size", CallChatHttp.MAX_BODY_BYTES,
                        // Otherwise a path with a byte a URI may not hold (a raw backslash) never reaches core.
                        "micronaut.server.escape-html-url", true,
                        "micronaut.lifecycle.graceful-shutdown.enabled", true))
                .singletons(singletons)
                .build();
        try {
            context.start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            return new CallChatServer(context, server);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** @return where the server listens, e.g. {@code http://127.0.0.1:8080/} */
    URI baseUri() {
        return baseUri(server);
    }

    static URI baseUri(EmbeddedServer server) {
        int port = server.getPort();
        if (httpsUri(server).isPresent() && server instanceof NettyHttpServer netty) {
            // With SSL on, getPort() is the HTTPS listener's; the plain one is the other bound port.
            port = netty.getBoundPorts().stream().filter(p -> p != server.getPort()).findFirst().orElse(port);
        }
        return URI.create("http://" + host(server) + ":" + port + "/");
    }

    /** @return the HTTPS listener's address, when {@code CALLCHAT_TLS_*} configured one */
    static Optional<URI> httpsUri(EmbeddedServer server) {
        return "https".equals(server.getScheme())
                ? Optional.of(URI.create("https://" + host(server) + ":" + server.getPort() + "/")) : Optional.empty();
    }

    private static String host(EmbeddedServer server) {
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

    /** @return where the server listens for HTTPS, when configured */
    Optional<URI> httpsUri() {
        return httpsUri(server);
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
        context.getBean(CallChatHttp.class).service().localHub().ifPresent(LocalRoomHub::close);
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
